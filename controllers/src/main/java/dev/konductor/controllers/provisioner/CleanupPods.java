package dev.konductor.controllers.provisioner;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;

/**
 * The pod that removes a provisioned volume's directory on its node, as k3s's local-path
 * provisioner does it: the controller manager need not run where the data is. It mounts the
 * volume's parent directory and deletes the volume's own, then exits. Pure.
 */
final class CleanupPods {

    static final String NAMESPACE = "kube-system";
    static final String LABEL = "konductor.dev/hostpath-cleanup";
    /** Simulated nodes run no processes; this makes such a pod finish as if {@code rm} had run. */
    static final String SIM_RUN_DURATION = "sim.konductor.dev/run-duration";
    static final String IMAGE = "docker.io/library/busybox:latest";

    private CleanupPods() {
    }

    static final String HELPER_PREFIX = "helper-pod-delete-";

    static String name(PersistentVolume volume) {
        return HELPER_PREFIX + volume.getMetadata().getName();
    }

    static Pod podFor(PersistentVolume volume, String node) {
        Path path = Path.of(volume.getSpec().getHostPath().getPath());
        Path parent = path.getParent() == null ? Path.of("/") : path.getParent();
        return new PodBuilder().withNewMetadata().withName(name(volume)).withNamespace(NAMESPACE)
                .addToLabels(LABEL, volume.getMetadata().getName())
                .addToAnnotations(SIM_RUN_DURATION, "1s").endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withRestartPolicy("Never")
                .withAutomountServiceAccountToken(false)
                .addNewToleration().withOperator("Exists").endToleration()
                .addNewContainer().withName("helper").withImage(IMAGE).withImagePullPolicy("IfNotPresent")
                .withCommand("rm", "-rf", "/data/" + path.getFileName())
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("data").withNewHostPath().withPath(parent.toString()).withType("DirectoryOrCreate")
                .endHostPath().endVolume()
                .endSpec().build();
    }
}
