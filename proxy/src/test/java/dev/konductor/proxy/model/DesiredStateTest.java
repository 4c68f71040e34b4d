package dev.konductor.proxy.model;

import static dev.konductor.proxy.testobjects.Objects.clusterIp;
import static dev.konductor.proxy.testobjects.Objects.endpoint;
import static dev.konductor.proxy.testobjects.Objects.endpointPort;
import static dev.konductor.proxy.testobjects.Objects.nodePort;
import static dev.konductor.proxy.testobjects.Objects.port;
import static dev.konductor.proxy.testobjects.Objects.ready;
import static dev.konductor.proxy.testobjects.Objects.service;
import static dev.konductor.proxy.testobjects.Objects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DesiredStateTest {

    private final DesiredState state = new DesiredState("node-a", true);

    private static InetAddress ip(String literal) {
        return IpLiterals.parse(literal).orElseThrow();
    }

    private static ProxyEndpoint ep(String address, int port, boolean local) {
        return new ProxyEndpoint(ip(address), port, local);
    }

    @Test
    void onlyReadyEndpointsGetClusterIpTraffic() {
        Service web = clusterIp("default", "web", "10.96.0.20", port("http", 80, "TCP"));
        EndpointSlice slice = slice("default", "web-abc", "web", List.of(
                ready("10.244.0.3", "node-b"), ready("10.244.0.2", "node-a"),
                endpoint("10.244.0.4", "node-a", false, false, false)), endpointPort("http", 8080, "TCP"));

        ProxyModel model = state.compute(List.of(web), List.of(slice));

        assertThat(model.clusterIps()).containsExactly(ip("10.96.0.20"));
        ServicePortRules rules = model.ports().getFirst();
        assertThat(rules.name()).isEqualTo(new ServicePortName("default", "web", "http", Protocol.TCP));
        assertThat(rules.clusterEndpoints()).containsExactly(ep("10.244.0.2", 8080, true), ep("10.244.0.3", 8080, false));
        assertThat(rules.nodePort()).isZero();
        assertThat(rules.hasExternalTraffic()).isFalse();
    }

    @Test
    void servingTerminatingEndpointsAreUsedOnlyWhenNoneIsReady() {
        Service web = clusterIp("default", "web", "10.96.0.20", port("", 80, "TCP"));
        EndpointSlice draining = slice("default", "web-abc", "web", List.of(
                endpoint("10.244.0.5", "node-a", false, true, true),
                endpoint("10.244.0.6", "node-a", false, false, true)), endpointPort("", 80, "TCP"));
        EndpointSlice withReady = slice("default", "web-def", "web", List.of(ready("10.244.0.7", "node-a")),
                endpointPort("", 80, "TCP"));

        assertThat(state.compute(List.of(web), List.of(draining)).ports().getFirst().clusterEndpoints())
                .containsExactly(ep("10.244.0.5", 80, true));
        assertThat(state.compute(List.of(web), List.of(draining, withReady)).ports().getFirst().clusterEndpoints())
                .containsExactly(ep("10.244.0.7", 80, true));
    }

    @Test
    void namedPortsTakeTheSlicePortOfTheSameNameAndProtocol() {
        Service dns = clusterIp("kube-system", "kube-dns", "10.96.0.10", port("dns", 53, "UDP"),
                port("dns-tcp", 53, "TCP"), port("metrics", 9153, "TCP"));
        EndpointSlice slice = slice("kube-system", "kube-dns-1", "kube-dns", List.of(ready("10.244.1.2", "node-b")),
                endpointPort("dns-tcp", 5353, "TCP"), endpointPort("dns", 5354, "UDP"), endpointPort("metrics", 9153, "TCP"));

        List<ServicePortRules> ports = state.compute(List.of(dns), List.of(slice)).ports();

        assertThat(ports).extracting(r -> r.name().toString() + " " + r.protocol() + " " + r.port() + "->"
                        + r.clusterEndpoints().getFirst().port())
                .containsExactlyInAnyOrder("kube-system/kube-dns:dns UDP 53->5354",
                        "kube-system/kube-dns:dns-tcp TCP 53->5353", "kube-system/kube-dns:metrics TCP 9153->9153");
    }

    @Test
    void anEndpointListedByTwoSlicesAppearsOnce() {
        Service web = clusterIp("default", "web", "10.96.0.20", port("", 80, "TCP"));
        EndpointSlice a = slice("default", "a", "web", List.of(endpoint("10.244.0.2", "node-a", false, false, false)),
                endpointPort("", 80, "TCP"));
        EndpointSlice b = slice("default", "b", "web", List.of(ready("10.244.0.2", "node-a")), endpointPort("", 80, "TCP"));

        assertThat(state.compute(List.of(web), List.of(a, b)).ports().getFirst().clusterEndpoints())
                .containsExactly(ep("10.244.0.2", 80, true));
    }

    @Test
    void externalNameHeadlessAndOtherProxiesServicesGetNoRules() {
        Service external = new ServiceBuilder().withNewMetadata().withNamespace("default").withName("ext").endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName("example.org").endSpec().build();
        Service headless = clusterIp("default", "db", "None", port("", 5432, "TCP"));
        Service foreign = new ServiceBuilder(clusterIp("default", "other", "10.96.0.30", port("", 80, "TCP")))
                .editMetadata().addToLabels(DesiredState.SERVICE_PROXY_NAME_LABEL, "someone-else").endMetadata().build();

        ProxyModel model = state.compute(List.of(external, headless, foreign), List.of());

        assertThat(model).isEqualTo(ProxyModel.EMPTY);
    }

    @Test
    void aServiceWithoutEndpointsKeepsItsClusterIpWithNoEndpoints() {
        ProxyModel model = state.compute(List.of(clusterIp("default", "web", "10.96.0.20", port("", 80, "TCP"))), List.of());

        assertThat(model.clusterIps()).containsExactly(ip("10.96.0.20"));
        assertThat(model.ports().getFirst().clusterEndpoints()).isEmpty();
    }

    @Test
    void sessionAffinityDefaultsToThreeHoursAndTakesTheGivenTimeout() {
        Service sticky = new ServiceBuilder(clusterIp("default", "a", "10.96.0.21", port("", 80, "TCP")))
                .editSpec().withSessionAffinity("ClientIP").endSpec().build();
        Service shortSticky = new ServiceBuilder(clusterIp("default", "b", "10.96.0.22", port("", 80, "TCP")))
                .editSpec().withSessionAffinity("ClientIP").withNewSessionAffinityConfig().withNewClientIP()
                .withTimeoutSeconds(60).endClientIP().endSessionAffinityConfig().endSpec().build();
        Service none = clusterIp("default", "c", "10.96.0.23", port("", 80, "TCP"));

        assertThat(state.compute(List.of(sticky, shortSticky, none), List.of()).ports())
                .extracting(ServicePortRules::affinityTimeout)
                .containsExactly(Optional.of(Duration.ofHours(3)), Optional.of(Duration.ofSeconds(60)), Optional.empty());
    }

    @Test
    void nodePortsAndLoadBalancerIngressAreExternalTraffic() {
        Service lb = new ServiceBuilder(service("default", "lb", "LoadBalancer", "10.96.0.40", nodePort("http", 80, 30080))
                .build()).editSpec().withExternalIPs("192.0.2.50").endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("192.0.2.2").endIngress()
                .addNewIngress().withHostname("lb.example").endIngress().endLoadBalancer().endStatus().build();
        // a ClusterIP Service keeps its nodePort field out of the rules (it only matters for NodePort and LoadBalancer)
        Service plain = service("default", "plain", "ClusterIP", "10.96.0.41", nodePort("http", 80, 30081)).build();

        List<ServicePortRules> ports = state.compute(List.of(lb, plain), List.of()).ports();

        assertThat(ports.get(0).nodePort()).isEqualTo(30080);
        assertThat(ports.get(0).externalIps()).containsExactly(ip("192.0.2.50"), ip("192.0.2.2"));
        assertThat(ports.get(1).nodePort()).isZero();
        assertThat(ports.get(1).hasExternalTraffic()).isFalse();
    }

    @Test
    void localTrafficPoliciesKeepTrafficOnThisNode() {
        Service local = new ServiceBuilder(service("default", "web", "NodePort", "10.96.0.20", nodePort("", 80, 30080))
                .build()).editSpec().withExternalTrafficPolicy("Local").withInternalTrafficPolicy("Local").endSpec().build();
        EndpointSlice slice = slice("default", "web-1", "web", List.of(ready("10.244.0.2", "node-a"),
                ready("10.244.1.2", "node-b")), endpointPort("", 80, "TCP"));

        ServicePortRules rules = state.compute(List.of(local), List.of(slice)).ports().getFirst();

        assertThat(rules.externalPolicyLocal()).isTrue();
        assertThat(rules.clusterEndpoints()).containsExactly(ep("10.244.0.2", 80, true));
        assertThat(rules.externalEndpoints()).containsExactly(ep("10.244.0.2", 80, true));
    }

    @Test
    void theModelIsOfOneFamily() {
        Service dual = new ServiceBuilder(clusterIp("default", "web", "fd00:96::20", port("", 80, "TCP")))
                .editSpec().withClusterIPs("fd00:96::20", "10.96.0.20").endSpec().build();

        assertThat(state.compute(List.of(dual), List.of()).clusterIps()).containsExactly(ip("10.96.0.20"));
        assertThat(new DesiredState("node-a", false).compute(List.of(dual), List.of()).clusterIps())
                .containsExactly(ip("fd00:96::20"));
    }
}
