package dev.konductor.proxy.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.proxy.ProxyMode;
import dev.konductor.proxy.model.Cidr;
import dev.konductor.proxy.model.ProxyModel;
import dev.konductor.proxy.model.ServicePortRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scripts against the real kernel, in a table of the test's own (deleted afterwards): updates
 * apply on top of what an earlier script left, and session-affinity state survives them.
 */
class NftScriptKernelTest {

    private final CommandRunner nft = new ProcessCommandRunner(Duration.ofSeconds(20));
    private final String table = "konductor_t" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    private NftRenderer renderer;

    @BeforeEach
    void needsRoot() {
        assumeTrue(ProxyMode.isRoot() && ProxyMode.nftBinary() != null, "needs root and the nft command");
        // a narrow service range of the samples, so the rejects cannot touch anything else on the host
        renderer = new NftRenderer(new NftConfig(table, Cidr.parse("10.96.0.0/24"),
                Optional.of(Cidr.parse("10.244.0.0/16")), List.of()));
    }

    @AfterEach
    void deleteTable() throws Exception {
        if (renderer != null) {
            nft.run(List.of("nft", "-f", "-"), NftScript.delete("ip", table));
        }
    }

    @Test
    void anUpdateAppliesOnTopOfAnEarlierTable() throws Exception {
        NftRuleset earlier = renderer.render(SampleModels.earlier());
        NftRuleset full = renderer.render(SampleModels.full());
        nft.check(List.of("nft", "-f", "-"), NftScript.replace(earlier));

        nft.check(List.of("nft", "-f", "-"), NftScript.update(earlier, full));

        String listed = nft.check(List.of("nft", "list", "table", "ip", table), "").stdout();
        assertThat(listed).contains("10.244.0.3:8080").doesNotContain("10.244.1.8").doesNotContain("default/old/")
                .contains("timeout 1m");
    }

    @Test
    void affinityStateSurvivesAnUpdateThatChangesOtherServices() throws Exception {
        NftRuleset full = renderer.render(SampleModels.full());
        nft.check(List.of("nft", "-f", "-"), NftScript.replace(full));
        String affinitySet = full.sets().stream().map(NftRuleset.NamedSet::name)
                .filter(name -> name.startsWith("affinity-")).findFirst().orElseThrow();
        nft.check(List.of("nft", "add", "element", "ip", table, affinitySet, "{ 192.0.2.77 }"), "");

        List<ServicePortRules> ports = new ArrayList<>(SampleModels.full().ports());
        ports.remove(3); // web goes away
        NftRuleset without = renderer.render(new ProxyModel(ports, SampleModels.full().clusterIps()));
        nft.check(List.of("nft", "-f", "-"), NftScript.update(full, without));

        String set = nft.check(List.of("nft", "list", "set", "ip", table, affinitySet), "").stdout();
        assertThat(set).contains("192.0.2.77");
        assertThat(nft.check(List.of("nft", "list", "table", "ip", table), "").stdout()).doesNotContain("default/web/");
    }
}
