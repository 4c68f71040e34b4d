package dev.konductor.proxy.model;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns Services and EndpointSlices into the proxy's {@link ProxyModel}, with upstream
 * kube-proxy's choices:
 * <ul>
 *   <li>ExternalName and headless Services, and Services labelled
 *       {@code service.kubernetes.io/service-proxy-name} (another proxy's), get no rules;</li>
 *   <li>a Service port takes the slice ports of the same name and protocol;</li>
 *   <li>ready endpoints get traffic; only when none is ready do serving, terminating ones (so
 *       connections drain during a rolling update instead of failing);</li>
 *   <li>{@code internalTrafficPolicy: Local} limits ClusterIP traffic, and
 *       {@code externalTrafficPolicy: Local} NodePort and external traffic, to this node's
 *       endpoints;</li>
 *   <li>{@code sessionAffinity: ClientIP} sticks a client to an endpoint for
 *       {@code timeoutSeconds} (10800 by default).</li>
 * </ul>
 * Pure: the same objects give the same model.
 */
public final class DesiredState {

    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String SERVICE_PROXY_NAME_LABEL = "service.kubernetes.io/service-proxy-name";
    public static final Duration DEFAULT_AFFINITY_TIMEOUT = Duration.ofSeconds(10800);

    private final String nodeName;
    private final boolean ipv4;

    /**
     * @param nodeName this proxy's node, to tell local endpoints
     * @param ipv4     the address family of the model (true for IPv4, false for IPv6)
     */
    public DesiredState(String nodeName, boolean ipv4) {
        this.nodeName = nodeName;
        this.ipv4 = ipv4;
    }

    public ProxyModel compute(Collection<Service> services, Collection<EndpointSlice> slices) {
        Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
        for (EndpointSlice slice : slices) {
            Map<String, String> labels = slice.getMetadata().getLabels();
            String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
            if (service != null && (ipv4 ? "IPv4" : "IPv6").equals(slice.getAddressType())) {
                slicesByService.computeIfAbsent(slice.getMetadata().getNamespace() + "/" + service,
                        key -> new ArrayList<>()).add(slice);
            }
        }
        List<ServicePortRules> ports = new ArrayList<>();
        Set<InetAddress> clusterIps = new TreeSet<>(Comparator.comparing(InetAddress::getAddress, Arrays::compare));
        for (Service service : services) {
            Optional<InetAddress> clusterIp = proxiedClusterIp(service);
            if (clusterIp.isEmpty()) {
                continue;
            }
            clusterIps.add(clusterIp.get());
            String key = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
            List<EndpointSlice> own = slicesByService.getOrDefault(key, List.of());
            for (ServicePort port : service.getSpec().getPorts()) {
                ports.add(rules(service, port, clusterIp.get(), own));
            }
        }
        ports.sort(Comparator.comparing(ServicePortRules::name));
        return new ProxyModel(ports, new ArrayList<>(clusterIps));
    }

    /** The ClusterIP of this family that the proxy serves, or empty when it gives the Service no rules. */
    private Optional<InetAddress> proxiedClusterIp(Service service) {
        ServiceSpec spec = service.getSpec();
        Map<String, String> labels = service.getMetadata().getLabels();
        if (spec == null || "ExternalName".equals(spec.getType()) || spec.getPorts() == null
                || (labels != null && labels.containsKey(SERVICE_PROXY_NAME_LABEL))) {
            return Optional.empty();
        }
        List<String> candidates = spec.getClusterIPs() == null || spec.getClusterIPs().isEmpty()
                ? (spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP()))
                : spec.getClusterIPs();
        for (String candidate : candidates) {
            Optional<InetAddress> ip = IpLiterals.parse(candidate).filter(this::ofFamily);
            if (ip.isPresent()) {
                return ip;
            }
        }
        return Optional.empty(); // "None" (headless), unset, or of the other family
    }

    private ServicePortRules rules(Service service, ServicePort port, InetAddress clusterIp,
                                   List<EndpointSlice> slices) {
        ServiceSpec spec = service.getSpec();
        Protocol protocol = Protocol.of(port.getProtocol());
        ServicePortName name = new ServicePortName(service.getMetadata().getNamespace(),
                service.getMetadata().getName(), port.getName(), protocol);
        List<Candidate> candidates = candidates(name, slices);
        List<Candidate> local = candidates.stream().filter(c -> c.endpoint.local()).toList();

        boolean internalLocal = "Local".equals(spec.getInternalTrafficPolicy());
        boolean externalTraffic = "NodePort".equals(spec.getType()) || "LoadBalancer".equals(spec.getType());
        boolean externalLocal = externalTraffic && "Local".equals(spec.getExternalTrafficPolicy());
        List<ProxyEndpoint> cluster = select(internalLocal ? local : candidates);
        List<ProxyEndpoint> external = select(externalLocal ? local : candidates);

        int nodePort = externalTraffic && port.getNodePort() != null ? port.getNodePort() : 0;
        Optional<Duration> affinity = Optional.empty();
        if ("ClientIP".equals(spec.getSessionAffinity())) {
            Integer seconds = spec.getSessionAffinityConfig() == null
                    || spec.getSessionAffinityConfig().getClientIP() == null ? null
                    : spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds();
            affinity = Optional.of(seconds == null ? DEFAULT_AFFINITY_TIMEOUT : Duration.ofSeconds(seconds));
        }
        return new ServicePortRules(name, clusterIp, port.getPort(), nodePort, externalIps(service),
                affinity, externalLocal, cluster, external);
    }

    /** {@code spec.externalIPs}, then a LoadBalancer's ingress addresses; of this family, each once. */
    private List<InetAddress> externalIps(Service service) {
        Set<InetAddress> ips = new LinkedHashSet<>();
        if (service.getSpec().getExternalIPs() != null) {
            for (String ip : service.getSpec().getExternalIPs()) {
                IpLiterals.parse(ip).filter(this::ofFamily).ifPresent(ips::add);
            }
        }
        if ("LoadBalancer".equals(service.getSpec().getType()) && service.getStatus() != null
                && service.getStatus().getLoadBalancer() != null
                && service.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress ingress : service.getStatus().getLoadBalancer().getIngress()) {
                IpLiterals.parse(ingress.getIp()).filter(this::ofFamily).ifPresent(ips::add);
            }
        }
        return new ArrayList<>(ips);
    }

    private record Candidate(ProxyEndpoint endpoint, boolean ready, boolean serving, boolean terminating) {
    }

    /** Every endpoint of the slices for this port, once per address and port (a ready copy wins). */
    private List<Candidate> candidates(ServicePortName name, List<EndpointSlice> slices) {
        Map<ProxyEndpoint, Candidate> byEndpoint = new LinkedHashMap<>();
        for (EndpointSlice slice : slices) {
            Optional<Integer> number = slicePort(slice, name);
            if (number.isEmpty() || slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
                    continue;
                }
                // like upstream, only the first address counts: the others are the same pod
                Optional<InetAddress> ip = IpLiterals.parse(endpoint.getAddresses().getFirst()).filter(this::ofFamily);
                if (ip.isEmpty()) {
                    continue;
                }
                EndpointConditions conditions = endpoint.getConditions();
                boolean ready = conditions == null || conditions.getReady() == null || conditions.getReady();
                boolean serving = conditions == null || conditions.getServing() == null ? ready : conditions.getServing();
                boolean terminating = conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
                boolean local = nodeName != null && nodeName.equals(endpoint.getNodeName());
                ProxyEndpoint proxyEndpoint = new ProxyEndpoint(ip.get(), number.get(), local);
                Candidate candidate = new Candidate(proxyEndpoint, ready, serving, terminating);
                byEndpoint.merge(proxyEndpoint, candidate, (a, b) -> a.ready ? a : b);
            }
        }
        return new ArrayList<>(byEndpoint.values());
    }

    private static Optional<Integer> slicePort(EndpointSlice slice, ServicePortName name) {
        if (slice.getPorts() == null) {
            return Optional.empty();
        }
        for (EndpointPort port : slice.getPorts()) {
            String portName = port.getName() == null ? "" : port.getName();
            if (portName.equals(name.port()) && Protocol.of(port.getProtocol()) == name.protocol()
                    && port.getPort() != null) {
                return Optional.of(port.getPort());
            }
        }
        return Optional.empty();
    }

    /** Ready endpoints; when there are none, serving terminating ones; sorted. */
    private static List<ProxyEndpoint> select(List<Candidate> candidates) {
        List<ProxyEndpoint> ready = candidates.stream().filter(Candidate::ready).map(Candidate::endpoint).sorted().toList();
        if (!ready.isEmpty()) {
            return ready;
        }
        return candidates.stream().filter(c -> c.serving && c.terminating).map(Candidate::endpoint).sorted().toList();
    }

    private boolean ofFamily(InetAddress ip) {
        return (ip instanceof Inet4Address) == ipv4;
    }
}
