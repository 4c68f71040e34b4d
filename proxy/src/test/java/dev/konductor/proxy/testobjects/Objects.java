package dev.konductor.proxy.testobjects;

import dev.konductor.proxy.model.DesiredState;
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

/** Services and EndpointSlices shaped as the API server and the EndpointSlice controller write them. */
public final class Objects {

    private Objects() {
    }

    public static ServicePort port(String name, int port, String protocol) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol(protocol).build();
    }

    public static ServicePort nodePort(String name, int port, int nodePort) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol("TCP").withNodePort(nodePort).build();
    }

    public static ServiceBuilder service(String namespace, String name, String type, String clusterIp, ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withType(type).withClusterIP(clusterIp).withClusterIPs(clusterIp)
                .withPorts(ports).endSpec();
    }

    public static Service clusterIp(String namespace, String name, String clusterIp, ServicePort... ports) {
        return service(namespace, name, "ClusterIP", clusterIp, ports).build();
    }

    /** A ready endpoint on {@code node}. */
    public static Endpoint ready(String address, String node) {
        return endpoint(address, node, true, true, false);
    }

    public static Endpoint endpoint(String address, String node, Boolean ready, Boolean serving, Boolean terminating) {
        return new EndpointBuilder().withAddresses(address).withNodeName(node)
                .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions()
                .build();
    }

    public static EndpointPort endpointPort(String name, int port, String protocol) {
        return new EndpointPortBuilder().withName(name).withPort(port).withProtocol(protocol).build();
    }

    public static EndpointSlice slice(String namespace, String name, String service, List<Endpoint> endpoints,
                                      EndpointPort... ports) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .addToLabels(DesiredState.SERVICE_NAME_LABEL, service)
                .addToLabels("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
                .endMetadata().withAddressType("IPv4").withEndpoints(endpoints).withPorts(ports).build();
    }
}
