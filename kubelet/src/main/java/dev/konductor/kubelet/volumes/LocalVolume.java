package dev.konductor.kubelet.volumes;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code local} PersistentVolume behind a claim: a directory of the node that must exist
 * (upstream refuses to make it up). The runtime bind-mounts it directly.
 */
record LocalVolume(String name, String path, boolean readOnly) implements PodVolume {

    @Override
    public Path setUp(Pod pod, VolumeHost host) throws SetUpException {
        Path local = Path.of(path);
        if (!Files.exists(local)) {
            throw new SetUpException(SetUpException.NEW_MOUNTER, "path \"" + path + "\" does not exist", null);
        }
        return local;
    }
}
