package dev.konductor.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.cri.v1.Mount;
import dev.konductor.kubelet.env.EnvResolver;
import dev.konductor.kubelet.objects.FakeObjectSource;
import dev.konductor.kubelet.volumes.Mounter;
import dev.konductor.kubelet.volumes.PodDirectories;
import dev.konductor.kubelet.volumes.VolumeHost;
import dev.konductor.kubelet.volumes.VolumeManager;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerOptionsTest {

    @TempDir
    Path root;

    private static final Mounter NO_MOUNTS = new Mounter() {
        @Override
        public void mountTmpfs(Path target, OptionalLong sizeBytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void unmount(Path target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Path> mountPointsUnder(Path dir) {
            return List.of();
        }
    };

    private final FakeObjectSource objects = new FakeObjectSource();
    private VolumeManager volumes;

    private ContainerOptions options() {
        volumes = new VolumeManager(new VolumeHost(new PodDirectories(root), objects, null, NO_MOUNTS, Clock.systemUTC()));
        return new ContainerOptions(new EnvResolver(objects, List.of("192.168.1.10")), volumes, "cluster.local");
    }

    private static Pod pod(boolean ownHosts) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withNamespace("shop").withName("web-0").withUid("uid-1").endMetadata()
                .withNewSpec().withSubdomain("web").addNewContainer().withName("app").withImage("busybox")
                .withTerminationMessagePath("/tmp/why").addNewEnv().withName("A").withValue("1").endEnv().endContainer()
                .addNewVolume().withName("hosts").withNewEmptyDir().endEmptyDir().endVolume().endSpec();
        if (ownHosts) {
            pod.editSpec().editFirstContainer().addNewVolumeMount().withName("hosts").withMountPath("/etc/hosts").endVolumeMount()
                    .endContainer().endSpec();
        }
        return pod.build();
    }

    @Test
    void givesTheEnvironmentHostsFileAndAFreshTerminationMessageFile() throws Exception {
        Pod pod = pod(false);
        Container container = pod.getSpec().getContainers().getFirst();

        ContainerOptions.Generated generated = (ContainerOptions.Generated) options().generate(pod, container, 2, List.of("10.244.0.7"));

        assertThat(generated.options().env()).containsEntry("A", "1");
        List<Mount> mounts = generated.options().mounts();
        assertThat(mounts).extracting(Mount::getContainerPath).containsExactly("/etc/hosts", "/tmp/why");
        assertThat(Files.readString(Path.of(mounts.get(0).getHostPath())))
                .endsWith("10.244.0.7\tweb-0.web.shop.svc.cluster.local\tweb-0\n");
        Path termination = new PodDirectories(root).terminationMessageFile("uid-1", "app", 2);
        assertThat(mounts.get(1).getHostPath()).isEqualTo(termination.toString());
        assertThat(termination).isEmptyFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(termination))).isEqualTo("rw-rw-rw-");
    }

    @Test
    void aContainerMountingItsOwnHostsFileKeepsIt() {
        Pod pod = pod(true);
        ContainerOptions options = options();
        assertThat(volumes.prepare(pod).ready()).isTrue();

        ContainerOptions.Result result = options.generate(pod, pod.getSpec().getContainers().getFirst(), 0, List.of("10.244.0.7"));

        List<Mount> mounts = ((ContainerOptions.Generated) result).options().mounts();
        assertThat(mounts).extracting(Mount::getContainerPath).containsExactly("/etc/hosts", "/tmp/why");
        assertThat(mounts.getFirst().getHostPath()).endsWith("/volumes/kubernetes.io~empty-dir/hosts");
    }

    @Test
    void aMountOfAVolumeNotSetUpIsAConfigError() {
        Pod pod = pod(true);

        ContainerOptions.Result result = options().generate(pod, pod.getSpec().getContainers().getFirst(), 0, List.of());

        assertThat(result).isEqualTo(new ContainerOptions.ConfigError("cannot find volume \"hosts\" to mount into container \"app\""));
    }
}
