package dev.konductor.proxy.networkpolicy;

import static dev.konductor.proxy.networkpolicy.PolicyObjects.labels;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.namespace;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.pod;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.proxy.nftables.NftTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Why the enforcer manages {@code br_netfilter}: on this kernel, a packet between two pods of one
 * bridge reaches the forward hook of an inet table only while
 * {@code net.bridge.bridge-nf-call-iptables} is 1 in the node's namespace. Measured on a
 * {@link BridgeLab} node with a default-deny table in it.
 */
class BridgedTrafficKernelTest {

    private BridgeLab lab;

    @AfterEach
    void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void bridgedPodTrafficMeetsThePolicyRulesOnlyWithBridgeNetfilter() throws Exception {
        String missing = BridgeLab.missing();
        assumeTrue(missing == null, () -> "skipped: needs root, nft, ip, sysctl, busybox and curl: " + missing);
        lab = new BridgeLab();
        BridgeLab.Pod server = lab.addPod("server");
        BridgeLab.Pod client = lab.addPod("client");
        lab.inNode("sysctl", "-w", "net.bridge.bridge-nf-call-iptables=0");
        PolicyModel denyServer = new DesiredPolicies("node-a").compute(
                List.of(policy("prod", "deny", labels("app", "server")).build()),
                List.of(pod("prod", "server", "node-a", server.address(), Map.of("app", "server"))),
                List.of(namespace("prod", Map.of())));
        new NftTable("inet", "knp-netpol", lab.nodeRunner()).apply(new PolicyRenderer("knp-netpol").render(denyServer));

        assertThat(lab.get(client, server.address(), 8080)).as("bridged past the rules").isEqualTo("server");

        assertThat(new BridgeNetfilter(lab.nodeRunner()).ensure()).isEqualTo(BridgeNetfilter.State.TURNED_ON);

        assertThat(lab.get(client, server.address(), 8080)).as("dropped at the forward hook").startsWith("curl: (28)");
        assertThat(lab.inNode("nft", "list", "table", "inet", "knp-netpol")).containsPattern("counter packets [1-9]");
    }
}
