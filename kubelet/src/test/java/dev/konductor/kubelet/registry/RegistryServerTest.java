package dev.konductor.kubelet.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.images.BuiltImage;
import dev.konductor.kubelet.images.BuiltinImages;
import dev.konductor.kubelet.images.ImageStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryServerTest {

    @Test
    void parsesRegistryPathsWithContainerdsNamespace() {
        RegistryPath manifest = RegistryPath.parse("/v2/library/busybox/manifests/latest", "ns=docker.io").orElseThrow();
        assertThat(manifest.kind()).isEqualTo(RegistryPath.Kind.MANIFEST);
        assertThat(manifest.fullReference()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(RegistryPath.parse("/v2/pause/manifests/3.10", "ns=konductor.local").orElseThrow().fullReference())
                .isEqualTo("konductor.local/pause:3.10");
        assertThat(RegistryPath.parse("/v2/busybox/manifests/latest", null).orElseThrow().fullReference())
                .isEqualTo("docker.io/library/busybox:latest");
        assertThat(RegistryPath.parse("/v2/a/b/blobs/sha256:" + "0".repeat(64), "ns=registry-1.docker.io").orElseThrow().host())
                .isEqualTo("docker.io");
        assertThat(RegistryPath.parse("/v2/../etc/manifests/x", null)).isEmpty();
        assertThat(RegistryPath.parse("/v2/", null).orElseThrow().kind()).isEqualTo(RegistryPath.Kind.BASE);
    }

    @Test
    void servesManifestsByTagAndDigestAndBlobs(@TempDir Path dir) throws Exception {
        BuiltImage busybox = BuiltinImages.build("fake".getBytes(StandardCharsets.UTF_8), List.of("bin/sh"), Optional.empty())
                .getFirst();
        ImageStore store = new ImageStore(dir);
        store.add(busybox);
        HttpClient http = HttpClient.newHttpClient();
        try (RegistryServer registry = RegistryServer.start(store, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            HttpResponse<byte[]> byTag = http.send(HttpRequest.newBuilder(URI.create(registry.url()
                    + "/v2/library/busybox/manifests/latest?ns=docker.io")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(byTag.statusCode()).isEqualTo(200);
            assertThat(byTag.body()).isEqualTo(busybox.manifest().content());
            assertThat(byTag.headers().firstValue("Docker-Content-Digest")).hasValue(busybox.manifest().digest());
            assertThat(byTag.headers().firstValue("Content-Type")).hasValue("application/vnd.oci.image.manifest.v1+json");

            HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/library/busybox/manifests/"
                    + busybox.manifest().digest())).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(busybox.manifest().size());

            HttpResponse<byte[]> blob = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/library/busybox/blobs/"
                    + busybox.layers().getFirst().digest())).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(blob.body()).isEqualTo(busybox.layers().getFirst().content());

            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(registry.url()
                    + "/v2/library/nginx/manifests/latest?ns=docker.io")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("MANIFEST_UNKNOWN");
        }
    }
}
