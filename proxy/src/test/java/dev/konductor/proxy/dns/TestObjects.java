package dev.konductor.proxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;

/** Services and EndpointSlices as the API server and the endpointslice controller would write them. */
final class TestObjects {

    private TestObjects() {
    }

    static ServicePort port(String name, int port, String protocol) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol(protocol).build();
    }

    static Service clusterIp(String namespace, String name, List<String> ips, ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(ips.getFirst()).withClusterIPs(ips)
                .withPorts(ports).endSpec().build();
    }

    static Service clusterIp(String namespace, String name, String ip, ServicePort... ports) {
        return clusterIp(namespace, name, List.of(ip), ports);
    }

    static Service headless(String namespace, String name, ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("None").withClusterIPs("None")
                .withSelector(java.util.Map.of("app", name)).withPorts(ports).endSpec().build();
    }

    static Service externalName(String namespace, String name, String target) {
        return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName(target).endSpec().build();
    }

    static Endpoint endpoint(String address, Boolean ready, String hostname) {
        return new EndpointBuilder().withAddresses(address).withHostname(hostname)
                .withNewConditions().withReady(ready).endConditions().build();
    }

    static EndpointPort endpointPort(String name, int port, String protocol) {
        return new EndpointPortBuilder().withName(name).withPort(port).withProtocol(protocol).build();
    }

    static EndpointSlice slice(String namespace, String name, String service, String addressType, List<Endpoint> endpoints,
                               EndpointPort... ports) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .addToLabels(ServiceEndpoints.SERVICE_NAME_LABEL, service).endMetadata()
                .withAddressType(addressType).withEndpoints(endpoints).withPorts(ports).build();
    }
}
