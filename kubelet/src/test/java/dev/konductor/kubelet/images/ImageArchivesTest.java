package dev.konductor.kubelet.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageArchivesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void loadsADockerArchive() throws IOException {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = "not really a tar".getBytes(StandardCharsets.UTF_8);
        Path archive = dir.resolve("app.tar");
        try (OutputStream out = Files.newOutputStream(archive); TarWriter tar = new TarWriter(out)) {
            tar.file("abc.json", 0644, config);
            tar.file("layer1/layer.tar", 0644, layer);
            tar.file("manifest.json", 0644, ("[{\"Config\":\"abc.json\",\"RepoTags\":[\"myapp:1.0\",\"quay.io/me/app\"],"
                    + "\"Layers\":[\"layer1/layer.tar\"]}]").getBytes(StandardCharsets.UTF_8));
        }
        ImageStore store = new ImageStore(dir.resolve("store"));

        assertThat(ImageArchives.load(archive, store)).containsExactly("docker.io/library/myapp:1.0", "quay.io/me/app:latest");
        ImageStore.Descriptor target = store.resolve("docker.io/library/myapp:1.0").orElseThrow();
        JsonNode manifest = JSON.readTree(store.blob(target.digest()).orElseThrow().toFile());
        assertThat(manifest.path("config").path("digest").asText()).isEqualTo(Digests.sha256(config));
        assertThat(manifest.path("layers").get(0).path("mediaType").asText()).isEqualTo(ImageArchives.OCI_LAYER_TAR);
        assertThat(store.blob(Digests.sha256(layer))).isPresent();
        assertThat(Files.list(store.root()).filter(p -> p.getFileName().toString().startsWith(".load-"))).isEmpty();
    }

    @Test
    void loadsAnOciLayoutTarball() throws IOException {
        BuiltImage image = BuiltinImages.build("fake".getBytes(StandardCharsets.UTF_8), List.of("bin/sh"), Optional.empty())
                .getFirst();
        Path archive = dir.resolve("oci.tar");
        try (OutputStream out = Files.newOutputStream(archive); TarWriter tar = new TarWriter(out)) {
            tar.file("oci-layout", 0644, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            for (Blob blob : image.blobs()) {
                tar.file("blobs/sha256/" + Digests.hex(blob.digest()), 0644, blob.content());
            }
            tar.file("index.json", 0644, ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                    + "\",\"digest\":\"" + image.manifest().digest() + "\",\"size\":" + image.manifest().size()
                    + ",\"annotations\":{\"io.containerd.image.name\":\"ghcr.io/me/tool:2\"}}]}").getBytes(StandardCharsets.UTF_8));
        }
        ImageStore store = new ImageStore(dir.resolve("store"));

        assertThat(ImageArchives.load(archive, store)).containsExactly("ghcr.io/me/tool:2");
        assertThat(store.resolve("ghcr.io/me/tool:2")).hasValueSatisfying(d -> assertThat(d.digest()).isEqualTo(image.manifest().digest()));
    }

    @Test
    void refusesEntriesOutsideTheArchive() throws IOException {
        Path archive = dir.resolve("evil.tar");
        try (OutputStream out = Files.newOutputStream(archive); TarWriter tar = new TarWriter(out)) {
            tar.file("x/../../escape", 0644, new byte[1]);
        }
        assertThatThrownBy(() -> ImageArchives.load(archive, new ImageStore(dir.resolve("store"))))
                .hasMessageContaining("outside the archive");
    }

    @Test
    void normalizesReferencesAsDocker() {
        assertThat(ImageReferences.normalize("busybox")).isEqualTo("docker.io/library/busybox:latest");
        assertThat(ImageReferences.normalize("me/app:1")).isEqualTo("docker.io/me/app:1");
        assertThat(ImageReferences.normalize("localhost:5000/app")).isEqualTo("localhost:5000/app:latest");
        assertThat(ImageReferences.normalize("index.docker.io/library/busybox:1")).isEqualTo("docker.io/library/busybox:1");
        assertThat(ImageReferences.normalize("busybox@sha256:ab")).isEqualTo("docker.io/library/busybox@sha256:ab");
    }
}
