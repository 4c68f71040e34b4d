package dev.konductor.controllers.endpoints;

import dev.konductor.controllers.framework.PodReadiness;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which pods back a Service and how (upstream's endpoint utilities), shared by the Endpoints and
 * EndpointSlice controllers so both publish the same addresses.
 */
public final class ServicePods {

    private ServicePods() {
    }

    /**
     * True if this controller publishes endpoints for {@code service}: it has a selector and is
     * not an ExternalName service. Services without a selector get endpoints written by users.
     * An empty selector counts as none: upstream's storage does not keep empty maps either.
     */
    public static boolean managesEndpoints(Service service) {
        return service.getSpec() != null && service.getSpec().getSelector() != null
                && !service.getSpec().getSelector().isEmpty() && !"ExternalName".equals(service.getSpec().getType());
    }

    /** True if {@code service} has a selector and it picks {@code pod}. */
    public static boolean selects(Service service, Pod pod) {
        if (!managesEndpoints(service)) {
            return false;
        }
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        return service.getSpec().getSelector().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /**
     * True if the pod belongs in the service's endpoints at all: it has an IP, has not finished,
     * and is not being deleted (unless {@code includeTerminating}).
     */
    public static boolean shouldBeInEndpoints(Pod pod, boolean includeTerminating) {
        if (ipv4(pod).isEmpty() || PodReadiness.isTerminal(pod)) {
            return false;
        }
        return includeTerminating || !PodReadiness.isTerminating(pod);
    }

    /** The pod's IPv4 address (from status.podIPs, else status.podIP). */
    public static Optional<String> ipv4(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        List<String> ips = new ArrayList<>();
        if (pod.getStatus().getPodIPs() != null) {
            pod.getStatus().getPodIPs().stream().map(PodIP::getIp).forEach(ips::add);
        }
        if (pod.getStatus().getPodIP() != null) {
            ips.add(pod.getStatus().getPodIP());
        }
        return ips.stream().filter(ip -> ip != null && !ip.isEmpty() && !ip.contains(":")).findFirst();
    }

    /** The pod's hostname as published for the service: only when its subdomain is the service. */
    public static Optional<String> hostname(Pod pod, Service service) {
        String hostname = pod.getSpec() == null ? null : pod.getSpec().getHostname();
        if (hostname == null || hostname.isEmpty()) {
            return Optional.empty();
        }
        boolean sameService = service.getMetadata().getName().equals(pod.getSpec().getSubdomain())
                && service.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace());
        return sameService ? Optional.of(hostname) : Optional.empty();
    }

    /** True for a headless service (clusterIP None), which gets endpoints even without ports. */
    public static boolean isHeadless(Service service) {
        return "None".equals(service.getSpec().getClusterIP());
    }

    /**
     * The container port a service port reaches on {@code pod}: a numeric targetPort as is, a
     * named one looked up among the pod's container ports of the same protocol; empty when the
     * pod has no port of that name.
     */
    public static OptionalInt targetPort(Pod pod, ServicePort servicePort) {
        IntOrString target = servicePort.getTargetPort();
        if (target == null || (target.getStrVal() == null && target.getIntVal() == null)) {
            return OptionalInt.of(servicePort.getPort());
        }
        if (target.getStrVal() == null) {
            return target.getIntVal() == 0 ? OptionalInt.of(servicePort.getPort()) : OptionalInt.of(target.getIntVal());
        }
        String name = target.getStrVal();
        String protocol = protocol(servicePort.getProtocol());
        for (Container container : containers(pod)) {
            if (container.getPorts() == null) {
                continue;
            }
            for (ContainerPort port : container.getPorts()) {
                if (name.equals(port.getName()) && protocol.equals(protocol(port.getProtocol()))) {
                    return OptionalInt.of(port.getContainerPort());
                }
            }
        }
        return OptionalInt.empty();
    }

    /** App containers plus sidecars (init containers that keep running), whose ports serve too. */
    private static List<Container> containers(Pod pod) {
        List<Container> all = new ArrayList<>();
        if (pod.getSpec() == null) {
            return all;
        }
        if (pod.getSpec().getContainers() != null) {
            all.addAll(pod.getSpec().getContainers());
        }
        if (pod.getSpec().getInitContainers() != null) {
            pod.getSpec().getInitContainers().stream().filter(c -> "Always".equals(c.getRestartPolicy()))
                    .forEach(all::add);
        }
        return all;
    }

    public static String protocol(String protocol) {
        return protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }

    /**
     * When the change being published happened, for the last-change-trigger-time annotation: the
     * newest of the Service's creation and its pods' last readiness changes (the two sources
     * upstream tracks).
     */
    public static Optional<String> lastChangeTriggerTime(Service service, List<Pod> selected) {
        Instant newest = parse(service.getMetadata().getCreationTimestamp());
        for (Pod pod : selected) {
            Instant changed = PodReadiness.condition(pod, "Ready").map(c -> parse(c.getLastTransitionTime()))
                    .orElse(null);
            if (changed != null && (newest == null || changed.isAfter(newest))) {
                newest = changed;
            }
        }
        return Optional.ofNullable(newest).map(Instant::toString);
    }

    private static Instant parse(String timestamp) {
        try {
            return timestamp == null ? null : Instant.parse(timestamp);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
