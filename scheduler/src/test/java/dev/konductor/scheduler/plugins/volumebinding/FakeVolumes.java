package dev.konductor.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Claims, volumes and classes in memory, recording the scheduler's writes instead of making them. */
public final class FakeVolumes implements VolumeState, VolumeWriter {

    final Map<String, PersistentVolumeClaim> claims = new ConcurrentHashMap<>();
    final Map<String, PersistentVolume> volumes = new ConcurrentHashMap<>();
    final Map<String, StorageClass> classes = new ConcurrentHashMap<>();
    final List<String> writes = new ArrayList<>();
    /** Whether the selected-node annotation shows at once (an informer that keeps up) or only when a test adds it. */
    volatile boolean showSelectedNode = true;

    void add(PersistentVolumeClaim claim) {
        claims.put(claim.getMetadata().getNamespace() + "/" + claim.getMetadata().getName(), claim);
    }

    void add(PersistentVolume volume) {
        volumes.put(volume.getMetadata().getName(), volume);
    }

    void add(StorageClass storageClass) {
        classes.put(storageClass.getMetadata().getName(), storageClass);
    }

    @Override
    public Optional<PersistentVolumeClaim> claim(String namespace, String name) {
        return Optional.ofNullable(claims.get(namespace + "/" + name));
    }

    @Override
    public Optional<PersistentVolume> volume(String name) {
        return Optional.ofNullable(volumes.get(name));
    }

    @Override
    public Collection<PersistentVolume> volumes() {
        return volumes.values();
    }

    @Override
    public Optional<StorageClass> storageClass(String name) {
        return Optional.ofNullable(classes.get(name));
    }

    @Override
    public synchronized void reserve(PersistentVolume volume, PersistentVolumeClaim claim) {
        writes.add("reserve " + volume.getMetadata().getName() + " for " + claim.getMetadata().getName());
    }

    @Override
    public synchronized void selectNode(PersistentVolumeClaim claim, String node) {
        writes.add("select " + node + " for " + claim.getMetadata().getName());
        if (!showSelectedNode) {
            return;
        }
        // as the informer would soon show the annotated claim
        add(new PersistentVolumeClaimBuilder(claim).editMetadata()
                .addToAnnotations("volume.kubernetes.io/selected-node", node).endMetadata().build());
    }
}
