package dev.konductor.controllers.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import org.junit.jupiter.api.Test;

class HostPathVolumesTest {

    private static final PersistentVolumeClaim CLAIM = new PersistentVolumeClaimBuilder().withNewMetadata()
            .withName("www-web-0").withNamespace("shop").withUid("3f2c").endMetadata().withNewSpec()
            .withAccessModes("ReadWriteOnce").withStorageClassName("standard").withVolumeMode("Filesystem")
            .withNewResources().addToRequests("storage", new Quantity("2Gi")).endResources().endSpec().build();

    private static StorageClass standard(String path) {
        StorageClassBuilder b = new StorageClassBuilder().withNewMetadata().withName("standard").endMetadata()
                .withProvisioner("konductor.dev/hostpath").withReclaimPolicy("Delete");
        if (path != null) {
            b.addToParameters("path", path);
        }
        return b.build();
    }

    @Test
    void volumeIsADirectoryOnTheChosenNodeReservedForTheClaim() {
        PersistentVolume pv = HostPathVolumes.volumeFor(CLAIM, standard(null), "node-a", "/var/lib/konductor/storage");

        assertThat(pv.getMetadata().getName()).isEqualTo("pvc-3f2c");
        assertThat(pv.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/provisioned-by",
                "konductor.dev/hostpath");
        assertThat(pv.getSpec().getHostPath().getPath()).isEqualTo("/var/lib/konductor/storage/pvc-3f2c");
        assertThat(pv.getSpec().getHostPath().getType()).isEqualTo("DirectoryOrCreate");
        assertThat(pv.getSpec().getCapacity().get("storage")).isEqualTo(new Quantity("2Gi"));
        assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
        assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo("3f2c");
        assertThat(HostPathVolumes.nodeOf(pv)).contains("node-a");
    }

    @Test
    void classPathParameterOverridesTheDefaultRoot() {
        PersistentVolume pv = HostPathVolumes.volumeFor(CLAIM, standard("/data/volumes/"), "node-a", "/unused");
        assertThat(pv.getSpec().getHostPath().getPath()).isEqualTo("/data/volumes/pvc-3f2c");
    }

    @Test
    void cleanupPodRemovesJustTheVolumesDirectoryOnItsNode() {
        PersistentVolume pv = HostPathVolumes.volumeFor(CLAIM, standard(null), "node-a", "/var/lib/konductor/storage");
        Pod pod = CleanupPods.podFor(pv, "node-a");

        assertThat(pod.getSpec().getNodeName()).isEqualTo("node-a");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getContainers().getFirst().getCommand()).containsExactly("rm", "-rf", "/data/pvc-3f2c");
        assertThat(pod.getSpec().getVolumes().getFirst().getHostPath().getPath()).isEqualTo("/var/lib/konductor/storage");
    }
}
