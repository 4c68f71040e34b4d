package dev.konductor.kubelet.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.kubelet.cri.v1.Mount;
import dev.konductor.kubelet.cri.v1.MountPropagation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerMountsTest {

    @TempDir
    Path dir;

    private Map<String, VolumeManager.MountedVolume> volumes;

    @BeforeEach
    void volumes() throws Exception {
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("app.conf"), "x");
        volumes = Map.of("scratch", new VolumeManager.MountedVolume(scratch, false),
                "config", new VolumeManager.MountedVolume(config, true));
    }

    private List<Mount> mounts(ContainerBuilder container, Map<String, String> env) throws ContainerMounts.Failed {
        Container c = container.withName("app").withImage("busybox").build();
        return ContainerMounts.forContainer(c, volumes, env);
    }

    @Test
    void mountsTheVolumesWithReadOnlyAndPropagation() throws Exception {
        List<Mount> mounts = mounts(new ContainerBuilder()
                .addNewVolumeMount().withName("scratch").withMountPath("/work").withMountPropagation("HostToContainer").endVolumeMount()
                .addNewVolumeMount().withName("scratch").withMountPath("/ro").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("config").withMountPath("/etc/app").endVolumeMount(), Map.of());

        assertThat(mounts).extracting(Mount::getContainerPath, Mount::getHostPath, Mount::getReadonly, Mount::getPropagation)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/work", dir.resolve("scratch").toString(), false,
                                MountPropagation.PROPAGATION_HOST_TO_CONTAINER),
                        org.assertj.core.groups.Tuple.tuple("/ro", dir.resolve("scratch").toString(), true,
                                MountPropagation.PROPAGATION_PRIVATE),
                        org.assertj.core.groups.Tuple.tuple("/etc/app", dir.resolve("config").toString(), true,
                                MountPropagation.PROPAGATION_PRIVATE));
    }

    @Test
    void subPathsAreMadeAndSubPathExprsExpanded() throws Exception {
        List<Mount> mounts = mounts(new ContainerBuilder()
                .addNewVolumeMount().withName("scratch").withMountPath("/logs").withSubPathExpr("logs/$(POD_NAME)").endVolumeMount()
                .addNewVolumeMount().withName("config").withMountPath("/etc/app.conf").withSubPath("app.conf").endVolumeMount(),
                Map.of("POD_NAME", "web-1"));

        assertThat(dir.resolve("scratch/logs/web-1")).isDirectory();
        assertThat(mounts.get(0).getHostPath()).isEqualTo(dir.resolve("scratch/logs/web-1").toString());
        assertThat(mounts.get(1).getHostPath()).isEqualTo(dir.resolve("config/app.conf").toString());
    }

    @Test
    void badSubPathsAreRefusedWithUpstreamsMessages() {
        assertThatThrownBy(() -> mounts(new ContainerBuilder().addNewVolumeMount().withName("scratch").withMountPath("/x")
                .withSubPathExpr("$(NOPE)/$(EMPTY)").endVolumeMount(), Map.of("EMPTY", "")))
                .hasMessage("missing value for EMPTY, NOPE");
        assertThatThrownBy(() -> mounts(new ContainerBuilder().addNewVolumeMount().withName("scratch").withMountPath("/x")
                .withSubPath("/etc").endVolumeMount(), Map.of()))
                .hasMessage("error SubPath `/etc` must not be an absolute path");
        assertThatThrownBy(() -> mounts(new ContainerBuilder().addNewVolumeMount().withName("scratch").withMountPath("/x")
                .withSubPath("a/../../b").endVolumeMount(), Map.of()))
                .hasMessage("unable to provision SubPath `a/../../b`: must not contain '..'");
        assertThatThrownBy(() -> mounts(new ContainerBuilder().addNewVolumeMount().withName("gone").withMountPath("/x")
                .endVolumeMount(), Map.of()))
                .hasMessage("cannot find volume \"gone\" to mount into container \"app\"");
    }

    @Test
    void aSymlinkInTheVolumeCannotLeadOutOfIt() throws Exception {
        Files.createSymbolicLink(dir.resolve("scratch/escape"), Path.of("/etc"));

        assertThatThrownBy(() -> mounts(new ContainerBuilder().addNewVolumeMount().withName("scratch").withMountPath("/x")
                .withSubPath("escape").endVolumeMount(), Map.of()))
                .hasMessage("failed to prepare subPath for volumeMount \"scratch\" of container \"app\"");
        assertThatThrownBy(() -> mounts(new ContainerBuilder().addNewVolumeMount().withName("scratch").withMountPath("/x")
                .withSubPath("escape/new-dir").endVolumeMount(), Map.of()))
                .hasMessage("failed to create subPath directory for volumeMount \"scratch\" of container \"app\"");
        assertThat(Path.of("/etc/new-dir")).doesNotExist();
    }
}
