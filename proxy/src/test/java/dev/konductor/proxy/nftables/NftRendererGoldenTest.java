package dev.konductor.proxy.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.proxy.ProxyMode;
import dev.konductor.proxy.model.Cidr;
import dev.konductor.proxy.model.ProxyModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The scripts the proxy hands to {@code nft -f}, compared with reviewed copies under
 * src/test/resources. After a deliberate change, regenerate them with
 * {@code -Dkonductor.updateGolden=true} and review the diff.
 */
class NftRendererGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/dev/konductor/proxy/nftables");

    private final NftRenderer renderer = new NftRenderer(SampleModels.CONFIG);

    @Test
    void aFreshTableForEveryKindOfServicePort() throws IOException {
        assertGolden("full.nft", NftScript.replace(renderer.render(SampleModels.full())));
    }

    @Test
    void anUpdateRewritesChainsAndMapsButKeepsAffinitySets() throws IOException {
        String script = NftScript.update(renderer.render(SampleModels.earlier()), renderer.render(SampleModels.full()));

        assertGolden("update.nft", script);
        assertThat(script).doesNotContain("delete table");
    }

    @Test
    void noServicesStillRejectsTheWholeServiceRange() throws IOException {
        NftConfig explicitNodeAddresses = new NftConfig("konductor", Cidr.parse("10.96.0.0/12"), Optional.empty(),
                List.of(SampleModels.ip("192.0.2.2")));
        assertGolden("empty.nft", NftScript.replace(new NftRenderer(explicitNodeAddresses).render(ProxyModel.EMPTY)));
    }

    @Test
    void equalModelsRenderEqualRulesets() {
        assertThat(renderer.render(SampleModels.full())).isEqualTo(renderer.render(SampleModels.full()));
    }

    /** The kernel's own parser accepts the scripts ({@code nft --check} changes nothing). Needs root and nft. */
    @Test
    void theKernelAcceptsTheScripts() throws Exception {
        assumeTrue(ProxyMode.isRoot() && ProxyMode.nftBinary() != null, "needs root and the nft command");
        NftConfig config = new NftConfig("konductor_check", Cidr.parse("10.96.0.0/12"),
                Optional.of(Cidr.parse("10.244.0.0/16")), List.of());
        String script = NftScript.replace(new NftRenderer(config).render(SampleModels.full()));
        CommandRunner.Result result = new ProcessCommandRunner(Duration.ofSeconds(20))
                .run(List.of("nft", "--check", "-f", "-"), script);
        assertThat(result.stderr()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    private static void assertGolden(String file, String actual) throws IOException {
        Path path = GOLDEN.resolve(file);
        if (Boolean.getBoolean("konductor.updateGolden") || !Files.exists(path)) {
            Files.writeString(path, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(Files.readString(path, StandardCharsets.UTF_8));
    }
}
