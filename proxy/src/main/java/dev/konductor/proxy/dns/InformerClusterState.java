package dev.konductor.proxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link ClusterState} from shared informers on Services and EndpointSlices in all namespaces:
 * the only way the DNS server learns about the cluster is a watch through the API server.
 */
final class InformerClusterState implements ClusterState, AutoCloseable {

    private static final String BY_NAMESPACE = "dns-namespace";
    private static final String BY_SERVICE = "dns-service";
    private static final String BY_CLUSTER_IP = "dns-cluster-ip";
    private static final String BY_ADDRESS = "dns-address";

    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;

    InformerClusterState(KubernetesClient client) {
        services = client.services().inAnyNamespace().runnableInformer(0).exceptionHandler((started, error) -> true);
        services.addIndexers(Map.of(
                BY_NAMESPACE, service -> List.of(service.getMetadata().getNamespace()),
                BY_CLUSTER_IP, InformerClusterState::clusterIpKeys));
        slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0).exceptionHandler((started, error) -> true);
        slices.addIndexers(Map.of(
                BY_SERVICE, InformerClusterState::serviceKey,
                BY_ADDRESS, InformerClusterState::addressKeys));
    }

    /** Starts both informers and waits up to {@code timeout} for their first lists; returns whether they arrived. */
    boolean start(Duration timeout) throws InterruptedException {
        CompletableFuture<Void> both = CompletableFuture.allOf(
                services.start().toCompletableFuture(), slices.start().toCompletableFuture());
        try {
            both.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException notYet) {
            // the informers keep trying; queries in the zone get SERVFAIL until they have synced
            return synced();
        }
    }

    @Override
    public boolean synced() {
        return services.hasSynced() && slices.hasSynced();
    }

    @Override
    public Optional<Service> service(String namespace, String name) {
        return Optional.ofNullable(services.getStore().getByKey(namespace + "/" + name));
    }

    @Override
    public boolean hasServices(String namespace) {
        return !services.getIndexer().byIndex(BY_NAMESPACE, namespace).isEmpty();
    }

    @Override
    public List<EndpointSlice> endpointSlices(String namespace, String service) {
        return slices.getIndexer().byIndex(BY_SERVICE, namespace + "/" + service);
    }

    @Override
    public List<Service> servicesWithClusterIp(String ipKey) {
        return services.getIndexer().byIndex(BY_CLUSTER_IP, ipKey);
    }

    @Override
    public List<EndpointSlice> endpointSlicesWithAddress(String ipKey) {
        return slices.getIndexer().byIndex(BY_ADDRESS, ipKey);
    }

    @Override
    public void close() {
        services.close();
        slices.close();
    }

    private static List<String> clusterIpKeys(Service service) {
        List<String> keys = new ArrayList<>();
        if (service.getSpec() == null) {
            return keys;
        }
        List<String> ips = service.getSpec().getClusterIPs();
        if (ips == null || ips.isEmpty()) {
            ips = service.getSpec().getClusterIP() == null ? List.of() : List.of(service.getSpec().getClusterIP());
        }
        for (String ip : ips) {
            IpAddresses.key(ip).ifPresent(keys::add);
        }
        return keys;
    }

    private static List<String> serviceKey(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        String service = labels == null ? null : labels.get(ServiceEndpoints.SERVICE_NAME_LABEL);
        return service == null ? List.of() : List.of(slice.getMetadata().getNamespace() + "/" + service);
    }

    private static List<String> addressKeys(EndpointSlice slice) {
        List<String> keys = new ArrayList<>();
        if (slice.getEndpoints() == null) {
            return keys;
        }
        for (var endpoint : slice.getEndpoints()) {
            if (endpoint.getAddresses() != null) {
                for (String address : endpoint.getAddresses()) {
                    IpAddresses.key(address).filter(key -> !keys.contains(key)).ifPresent(keys::add);
                }
            }
        }
        return keys;
    }
}
