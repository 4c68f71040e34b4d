package dev.konductor.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.cri.v1.Image;
import io.fabric8.kubernetes.api.model.ContainerImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeImagesTest {

    @Test
    void biggestFirstNamedByDigestsThenTags() {
        List<ContainerImage> images = NodeImages.of(List.of(
                Image.newBuilder().setId("sha256:p").addRepoTags("konductor.local/pause:3.10")
                        .addRepoDigests("konductor.local/pause@sha256:16c3").setSize(1_000).build(),
                Image.newBuilder().setId("sha256:b").addRepoTags("docker.io/library/busybox:latest")
                        .addRepoDigests("docker.io/library/busybox@sha256:bae1").setSize(2_000).build()));

        assertThat(images).extracting(ContainerImage::getSizeBytes).containsExactly(2_000L, 1_000L);
        assertThat(images.getFirst().getNames()).containsExactly("docker.io/library/busybox@sha256:bae1",
                "docker.io/library/busybox:latest");
    }

    @Test
    void atMostFiftyImagesAndFiveNamesEach() {
        List<Image> many = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Image.Builder b = Image.newBuilder().setId("sha256:" + i).setSize(i);
            for (int t = 0; t < 7; t++) {
                b.addRepoTags("img" + i + ":t" + t);
            }
            many.add(b.build());
        }
        List<ContainerImage> images = NodeImages.of(many);
        assertThat(images).hasSize(50);
        assertThat(images.getFirst().getSizeBytes()).isEqualTo(59);
        assertThat(images.getLast().getSizeBytes()).isEqualTo(10);
        assertThat(images).allSatisfy(image -> assertThat(image.getNames()).hasSize(5));
    }
}
