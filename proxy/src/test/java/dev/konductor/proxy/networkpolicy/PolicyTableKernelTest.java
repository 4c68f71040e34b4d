package dev.konductor.proxy.networkpolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.proxy.ProxyMode;
import dev.konductor.proxy.nftables.CommandRunner;
import dev.konductor.proxy.nftables.NftTable;
import dev.konductor.proxy.nftables.ProcessCommandRunner;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rulesets applied to a real kernel, in a network namespace of the test's own (deleted
 * afterwards): a fresh table, an update on top of it, and the table's removal.
 */
class PolicyTableKernelTest {

    private final CommandRunner host = new ProcessCommandRunner(Duration.ofSeconds(20));
    private final String netns = "knp" + Integer.toHexString(0x1000 + ThreadLocalRandom.current().nextInt(0xefff)) + "-kernel";
    private NamespacedRunner inNetns;

    @BeforeEach
    void createNamespace() throws Exception {
        assumeTrue(ProxyMode.isRoot() && ProxyMode.nftBinary() != null, "needs root and the nft command");
        host.check(List.of("ip", "netns", "add", netns), "");
        inNetns = new NamespacedRunner(netns);
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        if (inNetns != null) {
            host.run(List.of("ip", "netns", "del", netns), "");
        }
    }

    @Test
    void anUpdateAppliesOnTopOfAnEarlierTableAndDeleteRemovesIt() throws Exception {
        PolicyRenderer renderer = new PolicyRenderer("knp-policies");
        NftTable table = new NftTable("inet", "knp-policies", inNetns);

        table.apply(renderer.render(SamplePolicies.earlier()));
        table.apply(renderer.render(SamplePolicies.full()));

        String listed = inNetns.check(List.of("nft", "list", "table", "inet", "knp-policies"), "").stdout();
        assertThat(listed).contains("10.244.0.7 comment \"prod/db\" : jump ingress-", "tcp . 8000-8100",
                "fd00:96::/108", "type filter hook forward priority filter; policy accept;");
        // web's egress chain of the earlier ruleset is gone
        assertThat(listed).doesNotContain("10.244.1.9");

        table.delete();
        assertThat(inNetns.check(List.of("nft", "list", "tables"), "").stdout()).doesNotContain("knp-policies");
    }
}
