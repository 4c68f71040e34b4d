package dev.konductor.proxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A ClusterState over plain lists, indexed by scanning: what the informers would hold. */
final class FakeClusterState implements ClusterState {

    final List<Service> services = new ArrayList<>();
    final List<EndpointSlice> slices = new ArrayList<>();
    boolean synced = true;

    FakeClusterState add(Service service) {
        services.add(service);
        return this;
    }

    FakeClusterState add(EndpointSlice slice) {
        slices.add(slice);
        return this;
    }

    @Override
    public boolean synced() {
        return synced;
    }

    @Override
    public Optional<Service> service(String namespace, String name) {
        return services.stream().filter(s -> s.getMetadata().getNamespace().equals(namespace)
                && s.getMetadata().getName().equals(name)).findFirst();
    }

    @Override
    public boolean hasServices(String namespace) {
        return services.stream().anyMatch(s -> s.getMetadata().getNamespace().equals(namespace));
    }

    @Override
    public List<EndpointSlice> endpointSlices(String namespace, String service) {
        return slices.stream().filter(s -> s.getMetadata().getNamespace().equals(namespace)
                && service.equals(s.getMetadata().getLabels().get(ServiceEndpoints.SERVICE_NAME_LABEL))).toList();
    }

    @Override
    public List<Service> servicesWithClusterIp(String ipKey) {
        return services.stream().filter(s -> s.getSpec().getClusterIPs().stream()
                .map(IpAddresses::key).flatMap(Optional::stream).anyMatch(ipKey::equals)).toList();
    }

    @Override
    public List<EndpointSlice> endpointSlicesWithAddress(String ipKey) {
        return slices.stream().filter(s -> s.getEndpoints().stream().flatMap(e -> e.getAddresses().stream())
                .map(IpAddresses::key).flatMap(Optional::stream).anyMatch(k -> Objects.equals(k, ipKey))).toList();
    }
}
