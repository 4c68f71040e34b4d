package dev.konductor.controllers.persistentvolume;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;

/** What the binder decided should happen to a claim or volume; the controller carries it out. */
sealed interface Action {

    /** Binds both ways: the volume's claimRef, its phase, the claim's volumeName and its status. */
    record Bind(PersistentVolume volume, PersistentVolumeClaim claim) implements Action {
    }

    /** Sets the claim's phase (Pending, Lost) if it differs. */
    record ClaimPhase(PersistentVolumeClaim claim, String phase) implements Action {
    }

    /** Sets the volume's phase (Available, Bound, Released, Failed) and message if they differ. */
    record VolumePhase(PersistentVolume volume, String phase, String message) implements Action {
    }

    /** Asks the class's (external) provisioner for a volume: the storage-provisioner annotations. */
    record RequestProvisioning(PersistentVolumeClaim claim, String provisioner) implements Action {
    }

    /** Takes a volume back from a claim that is bound elsewhere, and makes it Available. */
    record Unbind(PersistentVolume volume) implements Action {
    }

    /** Looks at a claim again soon (a volume's side changed under it). */
    record SyncClaim(String namespace, String name) implements Action {
    }

    record Event(HasMetadata regarding, boolean warning, String reason, String message) implements Action {
    }
}
