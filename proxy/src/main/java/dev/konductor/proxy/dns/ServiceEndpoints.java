package dev.konductor.proxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The endpoints of a Service that DNS publishes, read from its EndpointSlices. */
final class ServiceEndpoints {

    /** The label that ties a slice to its Service. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    /**
     * One address serving a Service.
     *
     * @param address  as the slice spells it
     * @param ip       parsed
     * @param label    its name under the Service: the endpoint's hostname (as StatefulSet pods
     *                 get) or else the dashed address, which the DNS specification lets an
     *                 implementation choose as the "unique, system-assigned identifier"
     * @param ports    the ports of the slice it came from
     */
    record Endpoint(String address, InetAddress ip, String label, List<EndpointPort> ports) {

        /** The port named {@code name} with protocol {@code protocol}, both compared case-insensitively. */
        Optional<EndpointPort> port(String name, String protocol) {
            for (EndpointPort port : ports) {
                if (port.getName() != null && port.getName().equalsIgnoreCase(name)
                        && protocolOf(port.getProtocol()).equalsIgnoreCase(protocol) && port.getPort() != null) {
                    return Optional.of(port);
                }
            }
            return Optional.empty();
        }
    }

    private ServiceEndpoints() {
    }

    /**
     * The endpoints that get DNS records: ready ones (a missing condition counts as ready, as
     * the API tells consumers to read it), or all of them when the Service publishes not-ready
     * addresses. An address listed by two slices (as happens while endpoints move between
     * slices) appears once. FQDN slices carry no addresses DNS can serve and are skipped.
     */
    static List<Endpoint> published(Service service, List<EndpointSlice> slices) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        Map<String, Endpoint> byAddress = new LinkedHashMap<>();
        for (EndpointSlice slice : slices) {
            if ("FQDN".equals(slice.getAddressType()) || slice.getEndpoints() == null) {
                continue;
            }
            List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
            for (var endpoint : slice.getEndpoints()) {
                boolean ready = endpoint.getConditions() == null || endpoint.getConditions().getReady() == null
                        || endpoint.getConditions().getReady();
                if ((!ready && !publishNotReady) || endpoint.getAddresses() == null) {
                    continue;
                }
                for (String address : endpoint.getAddresses()) {
                    Optional<InetAddress> ip = IpAddresses.parse(address);
                    if (ip.isEmpty()) {
                        continue;
                    }
                    String hostname = endpoint.getHostname();
                    String label = hostname == null || hostname.isEmpty() ? IpAddresses.dashed(address) : hostname;
                    byAddress.putIfAbsent(IpAddresses.key(ip.get()),
                            new Endpoint(address, ip.get(), label.toLowerCase(Locale.ROOT), ports));
                }
            }
        }
        return new ArrayList<>(byAddress.values());
    }

    static String protocolOf(String protocol) {
        return protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }
}
