package dev.konductor.kubelet.volumes;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;

/**
 * {@code hostPath} (in the pod, or behind a PersistentVolumeClaim bound to a hostPath
 * PersistentVolume): a path of the node itself, checked against its {@code type}; the runtime
 * bind-mounts it as it is, nothing is copied or mounted on the node.
 */
record HostPathVolume(String name, String path, String type, boolean readOnly) implements PodVolume {

    @Override
    public Path setUp(Pod pod, VolumeHost host) throws SetUpException {
        Path hostPath = Path.of(path);
        HostPathTypes.check(hostPath, type);
        return hostPath;
    }
}
