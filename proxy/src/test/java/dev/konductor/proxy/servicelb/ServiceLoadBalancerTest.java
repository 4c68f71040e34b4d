package dev.konductor.proxy.servicelb;

import static dev.konductor.proxy.testobjects.Objects.nodePort;
import static dev.konductor.proxy.testobjects.Objects.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceLoadBalancerTest {

    static Node node(String name, boolean ready, String internalIp, String externalIp) {
        NodeBuilder builder = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress().endStatus();
        if (externalIp != null) {
            builder.editStatus().addNewAddress().withType("ExternalIP").withAddress(externalIp).endAddress().endStatus();
        }
        return builder.build();
    }

    @Test
    void everyReadyNodeNotExcludedIsALoadBalancer() {
        Node excluded = new NodeBuilder(node("c", true, "192.0.2.4", null)).editMetadata()
                .addToLabels(ServiceLoadBalancer.EXCLUDE_LABEL, "").endMetadata().build();

        List<String> addresses = ServiceLoadBalancer.nodeAddresses(List.of(node("b", true, "192.0.2.3", null),
                node("a", true, "10.0.0.2", "192.0.2.2"), node("d", false, "192.0.2.5", null), excluded));

        assertThat(addresses).containsExactly("192.0.2.2", "192.0.2.3");
    }

    @Test
    void onlyUnclassedLoadBalancersThatDifferGetAnIngress() {
        Service lb = service("default", "lb", "LoadBalancer", "10.96.0.40", nodePort("", 80, 30080)).build();
        Service classed = new ServiceBuilder(lb).editSpec().withLoadBalancerClass("example.com/lb").endSpec().build();
        Service done = new ServiceBuilder(lb).withNewStatus().withNewLoadBalancer().addNewIngress().withIp("192.0.2.2")
                .withIpMode("VIP").endIngress().endLoadBalancer().endStatus().build();
        Service wasLb = new ServiceBuilder(done).editSpec().withType("NodePort").endSpec().build();

        assertThat(ServiceLoadBalancer.desiredIngress(lb, List.of("192.0.2.2")))
                .hasValueSatisfying(ingress -> assertThat(ingress).extracting(LoadBalancerIngress::getIp, LoadBalancerIngress::getIpMode)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("192.0.2.2", "VIP")));
        assertThat(ServiceLoadBalancer.desiredIngress(classed, List.of("192.0.2.2"))).isEmpty();
        assertThat(ServiceLoadBalancer.desiredIngress(done, List.of("192.0.2.2"))).isEmpty();
        assertThat(ServiceLoadBalancer.desiredIngress(wasLb, List.of("192.0.2.2"))).isEqualTo(Optional.of(List.of()));
    }

    @Test
    void writesTheNodesAddressesIntoTheServiceStatusThroughTheApi() {
        try (LocalApiServer api = LocalApiServer.start()) {
            KubernetesClient client = api.client();
            client.nodes().resource(node("n1", true, "192.0.2.2", null)).create();
            try (ServiceLoadBalancer lb = new ServiceLoadBalancer(client)) {
                lb.start();
                client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web")
                        .endMetadata().withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).endPort()
                        .endSpec().build()).create();

                Await.until("the node's address in the ingress", () -> ingressOf(client).equals(List.of("192.0.2.2")));

                client.nodes().resource(node("n2", true, "192.0.2.3", null)).create();
                Await.until("both nodes in the ingress", () -> ingressOf(client).equals(List.of("192.0.2.2", "192.0.2.3")));
            }
        }
    }

    private static List<String> ingressOf(KubernetesClient client) {
        Service web = client.services().inNamespace("default").withName("web").get();
        if (web.getStatus() == null || web.getStatus().getLoadBalancer() == null
                || web.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return web.getStatus().getLoadBalancer().getIngress().stream().map(LoadBalancerIngress::getIp).toList();
    }
}
