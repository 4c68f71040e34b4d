package dev.konductor.proxy.ingress;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Turns an Ingress backend into a {@link Target}: the Service port it names (by number or by
 * name), then that port's ready endpoints from the Service's EndpointSlices, as a proxy would.
 * Endpoints whose {@code ready} condition is unset count as ready (the API's advice); when none
 * is ready, serving endpoints that are terminating are used instead, as kube-proxy does.
 */
final class BackendResolver {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    /** Service lookup by namespace and name. */
    private final BiFunction<String, String, Optional<Service>> services;
    /** EndpointSlices of a Service, by namespace and Service name. */
    private final BiFunction<String, String, List<EndpointSlice>> slices;
    /** Round-robin cursors per Service port, kept across rebuilds. */
    private final Map<String, AtomicInteger> cursors;

    BackendResolver(BiFunction<String, String, Optional<Service>> services,
                    BiFunction<String, String, List<EndpointSlice>> slices, Map<String, AtomicInteger> cursors) {
        this.services = services;
        this.slices = slices;
        this.cursors = cursors;
    }

    BackendResolver(BiFunction<String, String, Optional<Service>> services,
                    BiFunction<String, String, List<EndpointSlice>> slices) {
        this(services, slices, new ConcurrentHashMap<>());
    }

    Target resolve(String namespace, IngressBackend backend) {
        IngressServiceBackend ref = backend.getService();
        if (ref == null) {
            String what = backend.getResource() == null ? "?" : backend.getResource().getKind() + "/"
                    + backend.getResource().getName();
            return new Target.Unavailable(namespace + "/" + what, "resource backends are not supported");
        }
        String port = ref.getPort() == null ? "" : ref.getPort().getName() != null && !ref.getPort().getName().isEmpty()
                ? ref.getPort().getName() : String.valueOf(ref.getPort().getNumber());
        String name = namespace + "/" + ref.getName() + ":" + port;
        Optional<Service> service = services.apply(namespace, ref.getName());
        if (service.isEmpty() || service.get().getSpec() == null) {
            return new Target.Unavailable(name, "service " + namespace + "/" + ref.getName() + " not found");
        }
        if ("ExternalName".equals(service.get().getSpec().getType())) {
            return new Target.Unavailable(name, "ExternalName services are not supported");
        }
        Optional<ServicePort> servicePort = servicePort(service.get(), ref);
        if (servicePort.isEmpty()) {
            return new Target.Unavailable(name, "service " + namespace + "/" + ref.getName() + " has no port " + port);
        }
        List<InetSocketAddress> addresses = endpoints(slices.apply(namespace, ref.getName()), servicePort.get());
        if (addresses.isEmpty()) {
            return new Target.Unavailable(name, "no ready endpoints");
        }
        return new Target.Endpoints(name, addresses, cursors.computeIfAbsent(name, n -> new AtomicInteger()));
    }

    /** Forgets the cursors of Service ports that no longer appear in {@code names}. */
    void retainCursors(Set<String> names) {
        cursors.keySet().retainAll(names);
    }

    private static Optional<ServicePort> servicePort(Service service, IngressServiceBackend ref) {
        List<ServicePort> ports = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        String wantedName = ref.getPort() == null ? null : ref.getPort().getName();
        Integer wantedNumber = ref.getPort() == null ? null : ref.getPort().getNumber();
        for (ServicePort port : ports) {
            boolean tcp = port.getProtocol() == null || "TCP".equals(port.getProtocol());
            if (!tcp) {
                continue;
            }
            if (wantedName != null && !wantedName.isEmpty() ? wantedName.equals(port.getName())
                    : Objects.equals(wantedNumber, port.getPort())) {
                return Optional.of(port);
            }
        }
        return Optional.empty();
    }

    private static List<InetSocketAddress> endpoints(List<EndpointSlice> slices, ServicePort servicePort) {
        String portName = servicePort.getName() == null ? "" : servicePort.getName();
        Set<InetSocketAddress> ready = new LinkedHashSet<>();
        Set<InetSocketAddress> terminating = new LinkedHashSet<>();
        List<EndpointSlice> ordered = new ArrayList<>(slices);
        ordered.sort((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()));
        for (EndpointSlice slice : ordered) {
            if ("FQDN".equals(slice.getAddressType())) {
                continue;
            }
            Integer number = slicePort(slice, portName);
            if (number == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
                if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
                    continue;
                }
                // addresses of one endpoint are interchangeable; proxies use the first
                Optional<InetSocketAddress> address = socketAddress(endpoint.getAddresses().getFirst(), number);
                if (address.isEmpty()) {
                    continue;
                }
                var conditions = endpoint.getConditions();
                boolean isReady = conditions == null || !Boolean.FALSE.equals(conditions.getReady());
                if (isReady) {
                    ready.add(address.get());
                } else if (Boolean.TRUE.equals(conditions.getServing()) && Boolean.TRUE.equals(conditions.getTerminating())) {
                    terminating.add(address.get());
                }
            }
        }
        return List.copyOf(ready.isEmpty() ? terminating : ready);
    }

    /** The slice's number for the Service port named {@code portName} ("" for an unnamed port). */
    private static Integer slicePort(EndpointSlice slice, String portName) {
        if (slice.getPorts() == null) {
            return null;
        }
        for (EndpointPort port : slice.getPorts()) {
            String name = port.getName() == null ? "" : port.getName();
            boolean tcp = port.getProtocol() == null || "TCP".equals(port.getProtocol());
            if (tcp && name.equals(portName) && port.getPort() != null) {
                return port.getPort();
            }
        }
        return null;
    }

    private static Optional<InetSocketAddress> socketAddress(String literal, int port) {
        try {
            return Optional.of(new InetSocketAddress(InetAddress.ofLiteral(literal), port));
        } catch (IllegalArgumentException notALiteral) {
            return Optional.empty();
        }
    }
}
