package dev.konductor.kubelet.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuilderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] FAKE_BUSYBOX = "#!fake busybox".getBytes(StandardCharsets.UTF_8);

    @Test
    void layerDigestsAreOfTheGzipAndDiffIdOfTheTar() throws IOException {
        Layer layer = Layer.builder().directory("bin", 0755).file("bin/hello", 0755, FAKE_BUSYBOX).build();

        byte[] tar = new GZIPInputStream(new ByteArrayInputStream(layer.blob().content())).readAllBytes();
        assertThat(layer.blob().digest()).isEqualTo(Digests.sha256(layer.blob().content()));
        assertThat(layer.diffId()).isEqualTo(Digests.sha256(tar));
        assertThat(tar.length % 512).isZero();
        assertThat(entries(tar)).containsExactly("bin/", "bin/hello");
    }

    @Test
    void buildsAreReproducible() {
        List<BuiltImage> first = BuiltinImages.build(FAKE_BUSYBOX, List.of("bin/sh", "usr/bin/wget"), Optional.of("1.35.0"));
        List<BuiltImage> second = BuiltinImages.build(FAKE_BUSYBOX, List.of("bin/sh", "usr/bin/wget"), Optional.of("1.35.0"));

        assertThat(first.get(0).manifest().digest()).isEqualTo(second.get(0).manifest().digest());
        assertThat(first.get(1).manifest().digest()).isEqualTo(second.get(1).manifest().digest());
    }

    @Test
    void busyboxAndPauseShareOneLayerAndNameUpstreamReferences() throws IOException {
        List<BuiltImage> images = BuiltinImages.build(FAKE_BUSYBOX, List.of("bin/sh", "usr/bin/wget", "bin/busybox"),
                Optional.of("1.35.0"));
        BuiltImage busybox = images.get(0);
        BuiltImage pause = images.get(1);

        assertThat(busybox.references()).containsExactly("docker.io/library/busybox:latest",
                "docker.io/library/busybox:1.35.0", "docker.io/library/busybox:1.35",
                // the references the Kubernetes documentation's tutorials pull
                "docker.io/library/busybox:1.28", "docker.io/library/busybox:1.36", "docker.io/library/busybox:1.37",
                "registry.k8s.io/busybox:latest", "registry.k8s.io/busybox:1.27.2", "registry.k8s.io/busybox:1.24");
        assertThat(pause.references()).containsExactly(BuiltinImages.PAUSE);
        assertThat(busybox.layers()).isEqualTo(pause.layers());

        JsonNode manifest = JSON.readTree(busybox.manifest().content());
        assertThat(manifest.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(manifest.path("config").path("digest").asText()).isEqualTo(busybox.config().digest());
        assertThat(manifest.path("layers").get(0).path("size").asLong()).isEqualTo(busybox.layers().getFirst().size());
        JsonNode config = JSON.readTree(busybox.config().content());
        assertThat(config.path("config").path("Cmd").get(0).asText()).isEqualTo("sh");
        assertThat(config.path("rootfs").path("diff_ids").get(0).asText()).startsWith("sha256:");

        byte[] tar = new GZIPInputStream(new ByteArrayInputStream(busybox.layers().getFirst().content())).readAllBytes();
        assertThat(entries(tar)).contains("bin/busybox", "bin/sh", "usr/bin/wget", "etc/passwd", "tmp/")
                .doesNotHaveDuplicates();
    }

    @Test
    void storeServesReferencesAndBlobsAndSurvivesReopening(@TempDir Path dir) throws IOException {
        BuiltImage busybox = BuiltinImages.build(FAKE_BUSYBOX, List.of("bin/sh"), Optional.empty()).getFirst();
        new ImageStore(dir).add(busybox);

        ImageStore reopened = new ImageStore(dir);
        assertThat(reopened.resolve("docker.io/library/busybox:latest")).hasValueSatisfying(d -> {
            assertThat(d.digest()).isEqualTo(busybox.manifest().digest());
            assertThat(d.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        });
        assertThat(Files.readAllBytes(reopened.blob(busybox.config().digest()).orElseThrow()))
                .isEqualTo(busybox.config().content());
        assertThat(reopened.blob("sha256:../../etc/passwd")).isEmpty();
        assertThat(JSON.readTree(dir.resolve("oci-layout").toFile()).path("imageLayoutVersion").asText()).isEqualTo("1.0.0");
    }

    @Test
    void recognisesStaticExecutablesOnly() throws IOException {
        Path busybox = Path.of("/bin/busybox");
        if (Files.isRegularFile(busybox)) {
            assertThat(ElfFiles.isStaticExecutable(Files.readAllBytes(busybox))).isTrue();
        }
        Path dynamic = Path.of("/bin/ls");
        if (Files.isRegularFile(dynamic)) {
            assertThat(ElfFiles.isStaticExecutable(Files.readAllBytes(dynamic))).isFalse();
        }
        assertThat(ElfFiles.isStaticExecutable(FAKE_BUSYBOX)).isFalse();
    }

    @Test
    void readsTheBusyboxVersion() {
        assertThat(BuiltinImages.version("BusyBox v1.35.0 (Debian 1:1.35.0-4+b1) multi-call binary.")).hasValue("1.35.0");
        assertThat(BuiltinImages.version("nothing")).isEmpty();
    }

    /** Entry names of a ustar archive. */
    private static List<String> entries(byte[] tar) {
        List<String> names = new ArrayList<>();
        int offset = 0;
        while (offset + 512 <= tar.length && tar[offset] != 0) {
            String name = new String(tar, offset, 100, StandardCharsets.UTF_8).replace("\0", "");
            String prefix = new String(tar, offset + 345, 155, StandardCharsets.UTF_8).replace("\0", "");
            long size = Long.parseLong(new String(tar, offset + 124, 11, StandardCharsets.US_ASCII).trim(), 8);
            names.add(prefix.isEmpty() ? name : prefix + "/" + name);
            offset += 512 + (int) ((size + 511) / 512 * 512);
        }
        return names;
    }
}
