package dev.konductor.proxy.ingress;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackendBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import java.util.List;

/** Builders for the objects the ingress tests write or feed. */
final class IngressObjects {

    private IngressObjects() {
    }

    static IngressBackend backend(String service, int port) {
        return new IngressBackendBuilder().withNewService().withName(service).withNewPort().withNumber(port)
                .endPort().endService().build();
    }

    static IngressBackend backend(String service, String portName) {
        return new IngressBackendBuilder().withNewService().withName(service).withNewPort().withName(portName)
                .endPort().endService().build();
    }

    static HTTPIngressPath path(String pathType, String path, IngressBackend backend) {
        return new HTTPIngressPathBuilder().withPathType(pathType).withPath(path).withBackend(backend).build();
    }

    static IngressRule rule(String host, HTTPIngressPath... paths) {
        return new IngressRuleBuilder().withHost(host).withNewHttp().withPaths(paths).endHttp().build();
    }

    static Ingress ingress(String namespace, String name, String className, IngressBackend defaultBackend,
                           IngressRule... rules) {
        return new IngressBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withIngressClassName(className).withDefaultBackend(defaultBackend).withRules(rules)
                .endSpec().build();
    }

    static Ingress ingress(String namespace, String name, IngressRule... rules) {
        return ingress(namespace, name, null, null, rules);
    }

    static ServicePort servicePort(String name, int port, int targetPort) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol("TCP")
                .withTargetPort(new IntOrString(targetPort)).build();
    }

    /** A Service without a selector: its EndpointSlices are written by the test. */
    static Service service(String namespace, String name, ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withPorts(ports).endSpec().build();
    }

    static Endpoint endpoint(String address, Boolean ready) {
        return new EndpointBuilder().withAddresses(address).withNewConditions().withReady(ready).endConditions().build();
    }

    static EndpointSlice slice(String namespace, String name, String service, String portName, int port,
                               List<Endpoint> endpoints) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .addToLabels(BackendResolver.SERVICE_NAME_LABEL, service).endMetadata()
                .withAddressType("IPv4").addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort()
                .withEndpoints(endpoints).build();
    }
}
