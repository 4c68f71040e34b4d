package dev.konductor.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.Collection;
import java.util.Optional;

/** The claims, volumes and classes as the scheduler's informers hold them (shared: never modify one). */
public interface VolumeState {

    Optional<PersistentVolumeClaim> claim(String namespace, String name);

    Optional<PersistentVolume> volume(String name);

    Collection<PersistentVolume> volumes();

    Optional<StorageClass> storageClass(String name);
}
