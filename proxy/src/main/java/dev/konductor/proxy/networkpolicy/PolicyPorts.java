package dev.konductor.proxy.networkpolicy;

import dev.konductor.proxy.model.Protocol;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code ports} of a rule, resolved against the pod that receives the traffic (upstream:
 * a named port means the port of that name and protocol on the destination pod). Entries the
 * API should have refused (a range ending before it starts, {@code endPort} with a named port,
 * an unknown protocol) match nothing rather than everything.
 */
final class PolicyPorts {

    private PolicyPorts() {
    }

    /** Whether any entry names a port rather than numbering it. */
    static boolean hasNamed(List<NetworkPolicyPort> ports) {
        return ports != null && ports.stream().anyMatch(PolicyPorts::named);
    }

    static boolean named(NetworkPolicyPort port) {
        return port.getPort() != null && port.getPort().getStrVal() != null;
    }

    /**
     * The ports {@code ports} allow on {@code destination} (empty when unknown: then named ports
     * match nothing). No entries at all means every port.
     */
    static Ports resolve(List<NetworkPolicyPort> ports, Optional<ClusterPods.PodView> destination) {
        if (ports == null || ports.isEmpty()) {
            return Ports.ANY;
        }
        List<PortRange> ranges = new ArrayList<>();
        for (NetworkPolicyPort port : ports) {
            resolve(port, destination).ifPresent(ranges::add);
        }
        return Ports.only(ranges);
    }

    private static Optional<PortRange> resolve(NetworkPolicyPort port, Optional<ClusterPods.PodView> destination) {
        Optional<Protocol> protocol = protocol(port.getProtocol());
        if (protocol.isEmpty()) {
            return Optional.empty();
        }
        IntOrString number = port.getPort();
        if (number == null) {
            return Optional.of(PortRange.all(protocol.get()));
        }
        if (number.getStrVal() != null) {
            if (port.getEndPort() != null) {
                return Optional.empty();
            }
            return destination.flatMap(pod -> containerPort(pod, number.getStrVal(), protocol.get()))
                    .map(found -> PortRange.single(protocol.get(), found));
        }
        int first = number.getIntVal() == null ? -1 : number.getIntVal();
        int last = port.getEndPort() == null ? first : port.getEndPort();
        if (first < 1 || last > PortRange.MAX_PORT || last < first) {
            return Optional.empty();
        }
        return Optional.of(new PortRange(protocol.get(), first, last));
    }

    private static Optional<Integer> containerPort(ClusterPods.PodView pod, String name, Protocol protocol) {
        for (ContainerPort port : pod.ports()) {
            if (name.equals(port.getName()) && protocol(port.getProtocol()).equals(Optional.of(protocol))
                    && port.getContainerPort() != null) {
                return Optional.of(port.getContainerPort());
            }
        }
        return Optional.empty();
    }

    private static Optional<Protocol> protocol(String value) {
        try {
            return Optional.of(Protocol.of(value));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }
}
