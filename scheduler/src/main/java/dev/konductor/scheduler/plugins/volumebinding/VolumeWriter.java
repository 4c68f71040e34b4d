package dev.konductor.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;

/**
 * The API writes with which the scheduler hands its volume decisions to the persistent volume
 * controller and the provisioners. Each throws a
 * {@link io.fabric8.kubernetes.client.KubernetesClientException} on failure.
 */
public interface VolumeWriter {

    /** Reserves {@code volume} for {@code claim} (its claimRef); the binder completes the binding. */
    void reserve(PersistentVolume volume, PersistentVolumeClaim claim);

    /** Tells the claim's provisioner where to make its volume (the selected-node annotation). */
    void selectNode(PersistentVolumeClaim claim, String node);
}
