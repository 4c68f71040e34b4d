package dev.konductor.proxy.hostgw;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.proxy.model.Cidr;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutePlanTest {

    private static final Cidr CLUSTER = Cidr.parse("10.244.0.0/16");

    @Test
    void routesEveryOtherNodesPodCidrViaItsInternalIp() {
        List<Node> nodes = List.of(
                node("a", "10.244.0.0/24", "192.0.2.1"),
                node("b", "10.244.1.0/24", "192.0.2.2"),
                node("c", "10.244.2.0/24", "192.0.2.3"));

        assertThat(RoutePlan.desired(nodes, "a", CLUSTER))
                .containsExactly(Map.entry("10.244.1.0/24", "192.0.2.2"), Map.entry("10.244.2.0/24", "192.0.2.3"));
    }

    @Test
    void leavesOutNodesWithoutRangeOrAddressAndRangesOutsideTheCluster() {
        List<Node> nodes = List.of(
                node("pending", null, "192.0.2.2"),
                node("no-address", "10.244.3.0/24", null),
                node("sim", "198.18.0.0/24", "198.19.0.1"),
                new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build());

        assertThat(RoutePlan.desired(nodes, "a", CLUSTER)).isEmpty();
    }

    @Test
    void diffReplacesMovedAndNewRoutesAndDeletesRoutesOfNodesGone() {
        Map<String, String> current = Map.of("10.244.1.0/24", "192.0.2.2", "10.244.2.0/24", "192.0.2.3",
                "10.244.9.0/24", "192.0.2.9");
        Map<String, String> desired = Map.of("10.244.1.0/24", "192.0.2.2", "10.244.2.0/24", "192.0.2.33",
                "10.244.4.0/24", "192.0.2.4");

        RoutePlan.Changes changes = RoutePlan.diff(current, desired);

        assertThat(changes.replace()).containsExactlyInAnyOrder(
                new RoutePlan.Route("10.244.2.0/24", "192.0.2.33"), new RoutePlan.Route("10.244.4.0/24", "192.0.2.4"));
        assertThat(changes.delete()).containsExactly("10.244.9.0/24");
        assertThat(RoutePlan.diff(desired, desired).none()).isTrue();
    }

    @Test
    void readsTheKernelsListing() {
        String listed = """
                10.244.1.0/24 via 192.0.2.2 dev eth0 proto 74
                10.244.2.0/24 via 192.0.2.3 dev eth0 proto 74 onlink
                """;
        assertThat(KernelRoutes.parse(listed))
                .containsExactly(Map.entry("10.244.1.0/24", "192.0.2.2"), Map.entry("10.244.2.0/24", "192.0.2.3"));
    }

    private static Node node(String name, String podCidr, String internalIp) {
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withPodCIDR(podCidr).endSpec();
        if (internalIp != null) {
            node.withNewStatus().addNewAddress().withType("Hostname").withAddress(name).endAddress()
                    .addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress().endStatus();
        }
        return node.build();
    }
}
