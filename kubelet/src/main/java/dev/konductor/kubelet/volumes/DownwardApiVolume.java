package dev.konductor.kubelet.volumes;

import io.fabric8.kubernetes.api.model.DownwardAPIVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;

/**
 * {@code downwardAPI}: the pod's metadata and its containers' resources as files, on a tmpfs,
 * rewritten when the pod's labels or annotations change.
 */
record DownwardApiVolume(String name, DownwardAPIVolumeSource source) implements PodVolume {

    static final String PLUGIN = "kubernetes.io~downward-api";

    @Override
    public Path setUp(Pod pod, VolumeHost host) throws SetUpException {
        Path dir = host.dirs().volume(pod.getMetadata().getUid(), PLUGIN, name);
        var payload = Payloads.downwardApi(source.getItems(), pod, host.objects().nodeAllocatable(), source.getDefaultMode());
        EmptyDirVolume.setUpTmpfs(dir, pod, host, null);
        ConfigMapVolume.write(dir, payload, host);
        return dir;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public boolean managesOwnership() {
        return true;
    }
}
