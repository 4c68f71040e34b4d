package dev.konductor.proxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Optional;

/**
 * What the DNS server knows of the cluster, indexed the ways queries need it. Objects handed out
 * are shared with the informer caches: read them, never modify them.
 */
interface ClusterState {

    /** Whether the first list of every kind has arrived; before that, in-zone answers would lie. */
    boolean synced();

    Optional<Service> service(String namespace, String name);

    /** Whether some Service lives in the namespace (then {@code <ns>.svc.<zone>} exists). */
    boolean hasServices(String namespace);

    /** The slices labelled {@code kubernetes.io/service-name=<service>} in the namespace. */
    List<EndpointSlice> endpointSlices(String namespace, String service);

    /** Services holding the address (in canonical form, see {@link IpAddresses#key}) as a ClusterIP. */
    List<Service> servicesWithClusterIp(String ipKey);

    /** Slices with an endpoint at the address (canonical form). */
    List<EndpointSlice> endpointSlicesWithAddress(String ipKey);
}
