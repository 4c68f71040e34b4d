package dev.konductor.proxy.networkpolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.proxy.ProxyMode;
import dev.konductor.proxy.nftables.CommandRunner;
import dev.konductor.proxy.nftables.NftRuleset;
import dev.konductor.proxy.nftables.NftScript;
import dev.konductor.proxy.nftables.ProcessCommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scripts the enforcer hands to {@code nft -f}, compared with reviewed copies under
 * src/test/resources. After a deliberate change, regenerate them with
 * {@code -Dkonductor.updateGolden=true} and review the diff.
 */
class PolicyRendererGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/dev/konductor/proxy/networkpolicy");

    private final PolicyRenderer renderer = new PolicyRenderer("konductor-netpol");

    @Test
    void aFreshTableWithIngressEgressNamedPortsAndIpBlocks() throws IOException {
        assertGolden("full.nft", NftScript.replace(renderer.render(SamplePolicies.full())));
    }

    @Test
    void anUpdateRewritesChainsAndMapsInPlace() throws IOException {
        String script = NftScript.update(renderer.render(SamplePolicies.earlier()), renderer.render(SamplePolicies.full()));

        assertGolden("update.nft", script);
        assertThat(script).doesNotContain("delete table");
    }

    @Test
    void noIsolatedPodsStillHookTheForwardPathWithEmptyMaps() throws IOException {
        assertGolden("empty.nft", NftScript.replace(renderer.render(PolicyModel.EMPTY)));
    }

    @Test
    void podsWithEqualRulesShareOneChain() {
        NftRuleset ruleset = renderer.render(SamplePolicies.full());

        List<String> ingressChains = ruleset.chains().stream().map(NftRuleset.Chain::name)
                .filter(name -> name.startsWith("ingress-")).toList();
        // web-1 and web-2 (same rules), db
        assertThat(ingressChains).hasSize(2);
        assertThat(renderer.render(SamplePolicies.full())).isEqualTo(ruleset);
    }

    /** The kernel's own parser accepts the scripts ({@code nft --check} changes nothing). Needs root and nft. */
    @Test
    void theKernelAcceptsTheScripts() throws Exception {
        assumeTrue(ProxyMode.isRoot() && ProxyMode.nftBinary() != null, "needs root and the nft command");
        PolicyRenderer checked = new PolicyRenderer("knp_check");
        CommandRunner nft = new ProcessCommandRunner(Duration.ofSeconds(20));
        for (String script : List.of(NftScript.replace(checked.render(SamplePolicies.full())),
                NftScript.replace(checked.render(PolicyModel.EMPTY)))) {
            CommandRunner.Result result = nft.run(List.of("nft", "--check", "-f", "-"), script);
            assertThat(result.stderr()).isEmpty();
            assertThat(result.exitCode()).isZero();
        }
    }

    private static void assertGolden(String file, String actual) throws IOException {
        Path path = GOLDEN.resolve(file);
        if (Boolean.getBoolean("konductor.updateGolden") || !Files.exists(path)) {
            Files.writeString(path, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(Files.readString(path, StandardCharsets.UTF_8));
    }
}
