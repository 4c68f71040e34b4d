package dev.konductor.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.proxy.model.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodNetworkComponentTest {

    private static final Cidr PODS = Cidr.parse("10.248.0.0/24");

    @Test
    void anotherBridgeOnThePodCidrIsAConflict() throws Exception {
        Map<String, List<InetAddress>> host = Map.of(
                "eth0", List.of(InetAddress.getByName("192.0.2.2")),
                "knd11111111", List.of(InetAddress.getByName("10.248.0.1")),
                "knd22222222", List.of(InetAddress.getByName("10.248.0.1")));

        assertThat(PodNetworkComponent.otherInterfaceIn(PODS, "knd22222222", host)).contains("knd11111111");
    }

    @Test
    void theNodesOwnBridgeAndOtherRangesAreNot() throws Exception {
        Map<String, List<InetAddress>> host = Map.of(
                "eth0", List.of(InetAddress.getByName("192.0.2.2")),
                "knd11111111", List.of(InetAddress.getByName("10.248.1.1")),
                "knd22222222", List.of(InetAddress.getByName("10.248.0.1")));

        assertThat(PodNetworkComponent.otherInterfaceIn(PODS, "knd22222222", host)).isEmpty();
    }
}
