package dev.konductor.controllers.endpoints;

import dev.konductor.controllers.framework.PodReadiness;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The subsets a Service's Endpoints should hold, computed from the pods it selects: one subset
 * per distinct set of resolved ports, Ready pods in {@code addresses} and the rest in
 * {@code notReadyAddresses} (everything is ready with publishNotReadyAddresses). Pure, so the
 * rules can be tested without a server.
 *
 * @param subsets   sorted, so that an unchanged world yields equal subsets; empty lists rather
 *                  than nulls, as the model reads them back from the server
 * @param truncated true when more than {@link #MAX_ADDRESSES} addresses had to be cut
 */
public record DesiredEndpoints(List<EndpointSubset> subsets, boolean truncated) {

    /** Upstream caps an Endpoints object at 1000 addresses; the rest live only in EndpointSlices. */
    public static final int MAX_ADDRESSES = 1000;

    private record Addresses(List<EndpointAddress> ready, List<EndpointAddress> notReady) {
    }

    public static DesiredEndpoints of(Service service, List<Pod> pods) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        Map<List<EndpointPort>, Addresses> byPorts = new LinkedHashMap<>();
        for (Pod pod : pods) {
            if (!ServicePods.selects(service, pod) || !ServicePods.shouldBeInEndpoints(pod, publishNotReady)) {
                continue;
            }
            Optional<List<EndpointPort>> ports = ports(service, pod);
            if (ports.isEmpty()) {
                continue;
            }
            Addresses addresses = byPorts.computeIfAbsent(ports.get(), p -> new Addresses(new ArrayList<>(),
                    new ArrayList<>()));
            EndpointAddress address = address(service, pod);
            if (publishNotReady || PodReadiness.isReady(pod)) {
                addresses.ready.add(address);
            } else {
                addresses.notReady.add(address);
            }
        }
        List<EndpointSubset> subsets = new ArrayList<>();
        byPorts.forEach((ports, addresses) -> {
            addresses.ready.sort(ADDRESS_ORDER);
            addresses.notReady.sort(ADDRESS_ORDER);
            subsets.add(new EndpointSubsetBuilder()
                    .withAddresses(addresses.ready)
                    .withNotReadyAddresses(addresses.notReady)
                    .withPorts(ports)
                    .build());
        });
        subsets.sort(Comparator.comparing(DesiredEndpoints::portsKey));
        return truncate(subsets);
    }

    private static final Comparator<EndpointAddress> ADDRESS_ORDER = Comparator
            .comparing((EndpointAddress a) -> ipSortKey(a.getIp()))
            .thenComparing(a -> a.getTargetRef() == null ? "" : String.valueOf(a.getTargetRef().getUid()));

    /**
     * The ports {@code pod} serves the service on, in service order; empty if it lacks some of
     * them (it is still published on the ones it has) or, for a service without ports, unless
     * the service is headless.
     */
    private static Optional<List<EndpointPort>> ports(Service service, Pod pod) {
        List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        if (servicePorts.isEmpty()) {
            return ServicePods.isHeadless(service) ? Optional.of(List.of()) : Optional.empty();
        }
        List<EndpointPort> ports = new ArrayList<>();
        for (ServicePort servicePort : servicePorts) {
            OptionalInt port = ServicePods.targetPort(pod, servicePort);
            if (port.isPresent()) {
                ports.add(new EndpointPortBuilder().withName(servicePort.getName()).withPort(port.getAsInt())
                        .withProtocol(ServicePods.protocol(servicePort.getProtocol()))
                        .withAppProtocol(servicePort.getAppProtocol()).build());
            }
        }
        return ports.isEmpty() ? Optional.empty() : Optional.of(ports);
    }

    private static EndpointAddress address(Service service, Pod pod) {
        String nodeName = pod.getSpec().getNodeName();
        return new EndpointAddressBuilder()
                .withIp(ServicePods.ipv4(pod).orElseThrow())
                .withHostname(ServicePods.hostname(pod, service).orElse(null))
                .withNodeName(nodeName == null || nodeName.isEmpty() ? null : nodeName)
                .withNewTargetRef().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endTargetRef()
                .build();
    }

    /** Cuts the subsets down to {@link #MAX_ADDRESSES}, keeping ready addresses before not-ready ones. */
    private static DesiredEndpoints truncate(List<EndpointSubset> subsets) {
        int total = subsets.stream().mapToInt(s -> size(s.getAddresses()) + size(s.getNotReadyAddresses())).sum();
        if (total <= MAX_ADDRESSES) {
            return new DesiredEndpoints(subsets, false);
        }
        int budget = MAX_ADDRESSES;
        List<List<EndpointAddress>> ready = new ArrayList<>();
        for (EndpointSubset subset : subsets) {
            List<EndpointAddress> kept = take(subset.getAddresses(), budget);
            budget -= kept.size();
            ready.add(kept);
        }
        List<EndpointSubset> cut = new ArrayList<>();
        for (int i = 0; i < subsets.size(); i++) {
            EndpointSubset subset = subsets.get(i);
            List<EndpointAddress> notReady = take(subset.getNotReadyAddresses(), budget);
            budget -= notReady.size();
            if (ready.get(i).isEmpty() && notReady.isEmpty()) {
                continue;
            }
            cut.add(new EndpointSubsetBuilder(subset).withAddresses(ready.get(i)).withNotReadyAddresses(notReady)
                    .build());
        }
        return new DesiredEndpoints(cut, true);
    }

    private static List<EndpointAddress> take(List<EndpointAddress> addresses, int budget) {
        if (addresses == null || budget <= 0) {
            return List.of();
        }
        return new ArrayList<>(addresses.subList(0, Math.min(budget, addresses.size())));
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }

    private static String portsKey(EndpointSubset subset) {
        StringBuilder key = new StringBuilder();
        for (EndpointPort p : subset.getPorts()) {
            key.append(p.getName()).append(':').append(p.getPort()).append('/').append(p.getProtocol()).append(',');
        }
        return key.toString();
    }

    /** Orders dotted quads numerically (10.0.0.9 before 10.0.0.10). */
    private static String ipSortKey(String ip) {
        String[] parts = ip.split("\\.");
        StringBuilder key = new StringBuilder();
        for (String part : parts) {
            key.append("0".repeat(Math.max(0, 3 - part.length()))).append(part).append('.');
        }
        return key.toString();
    }
}
