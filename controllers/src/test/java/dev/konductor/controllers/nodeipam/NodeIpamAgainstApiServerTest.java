package dev.konductor.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.ControllerManager;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The node IPAM controller in a controller manager against a real API server. */
class NodeIpamAgainstApiServerTest {

    @Test
    void nodesGetDistinctRangesKeepTheirOwnAndFreedRangesGoToWaitingNodes() {
        // room for two node ranges only
        NodeIpamSettings settings = new NodeIpamSettings(List.of("10.244.0.0/23"), 24, 64);
        try (LocalApiServer api = LocalApiServer.start()) {
            KubernetesClient client = api.client();
            // present before the controller starts: one holds a range of the cluster CIDR, one
            // (like a simulated node) a range of its own outside it
            create(client, "preset", "10.244.1.0/24");
            create(client, "sim", "198.18.1.0/25");
            try (ControllerManager manager = new ControllerManager(client, "test",
                    () -> List.of(new NodeIpamController(settings)), ControllerSettings.defaults(), Clock.systemUTC())) {
                manager.startWithoutElection();
                create(client, "n1", null);
                Await.until("n1 gets the one free range", () -> "10.244.0.0/24".equals(podCidr(client, "n1")));
                assertThat(client.nodes().withName("n1").get().getSpec().getPodCIDRs()).containsExactly("10.244.0.0/24");

                create(client, "n2", null);
                Await.until("n2 is told the cluster CIDR is full", () -> client.v1().events().inNamespace("default")
                        .list().getItems().stream().anyMatch(e -> "CIDRNotAvailable".equals(e.getReason())
                                && "n2".equals(e.getInvolvedObject().getName())
                                && "cidrAllocator".equals(e.getSource().getComponent())
                                && "Node n2 status is now: CIDRNotAvailable".equals(e.getMessage())));
                assertThat(podCidr(client, "n2")).isNull();

                client.nodes().withName("preset").delete();
                Await.until("n2 gets the range the deleted node held",
                        () -> "10.244.1.0/24".equals(podCidr(client, "n2")));
                assertThat(podCidr(client, "sim")).isEqualTo("198.18.1.0/25");
                assertThat(podCidr(client, "n1")).isEqualTo("10.244.0.0/24");
            }
        }
    }

    private static void create(KubernetesClient client, String name, String podCidr) {
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
        if (podCidr != null) {
            node.withNewSpec().withPodCIDR(podCidr).withPodCIDRs(podCidr).endSpec();
        }
        client.nodes().resource(node.build()).create();
    }

    private static String podCidr(KubernetesClient client, String name) {
        Node node = client.nodes().withName(name).get();
        return node == null || node.getSpec() == null ? null : Objects.toString(node.getSpec().getPodCIDR(), null);
    }
}
