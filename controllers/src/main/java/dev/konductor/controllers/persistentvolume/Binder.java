package dev.konductor.controllers.persistentvolume;

import dev.konductor.api.storage.VolumeBindings;
import dev.konductor.api.storage.VolumeMatching;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The decisions of upstream's persistent volume binder, as pure functions from the cached claims,
 * volumes and classes to {@link Action}s: which volume a claim binds to, when to wait for the
 * scheduler or a provisioner, how a volume's phase follows its claim, and what its reclaim policy
 * does once the claim is gone.
 */
final class Binder {

    static final String WAITING_FOR_CONSUMER = "waiting for first consumer to be created before binding";
    static final String NO_CLASS = "no persistent volumes available for this claim and no storage class is set";

    private final Collection<PersistentVolume> volumes;
    private final Function<String, Optional<PersistentVolume>> volumeByName;
    private final Function<String, Optional<StorageClass>> classByName;

    Binder(Collection<PersistentVolume> volumes, Function<String, Optional<PersistentVolume>> volumeByName,
           Function<String, Optional<StorageClass>> classByName) {
        this.volumes = volumes;
        this.volumeByName = volumeByName;
        this.classByName = classByName;
    }

    List<Action> syncClaim(PersistentVolumeClaim claim) {
        if (VolumeBindings.hasAnnotation(claim, VolumeBindings.BIND_COMPLETED)) {
            return syncBoundClaim(claim);
        }
        String volumeName = claim.getSpec().getVolumeName();
        return volumeName == null || volumeName.isEmpty() ? syncNewClaim(claim) : syncRequestedVolume(claim, volumeName);
    }

    /** A claim that asks for no particular volume: find one, wait, or have one provisioned. */
    private List<Action> syncNewClaim(PersistentVolumeClaim claim) {
        String className = VolumeBindings.claimClass(claim);
        Optional<StorageClass> storageClass = className.isEmpty() ? Optional.empty() : classByName.apply(className);
        boolean delay = storageClass.map(c -> VolumeBindings.WAIT_FOR_FIRST_CONSUMER.equals(c.getVolumeBindingMode()))
                .orElse(false);
        Optional<PersistentVolume> match = VolumeMatching.bestMatch(claim, volumes, null, delay, Set.of());
        if (match.isPresent()) {
            return List.of(new Action.Bind(match.get(), claim));
        }
        List<Action> actions = new ArrayList<>();
        if (delay && !VolumeBindings.hasAnnotation(claim, VolumeBindings.SELECTED_NODE)) {
            actions.add(new Action.Event(claim, false, "WaitForFirstConsumer", WAITING_FOR_CONSUMER));
        } else if (className.isEmpty()) {
            actions.add(new Action.Event(claim, false, "FailedBinding", NO_CLASS));
        } else if (storageClass.isEmpty()) {
            actions.add(new Action.Event(claim, true, "ProvisioningFailed",
                    "storageclass.storage.k8s.io \"" + className + "\" not found"));
        } else if (VolumeBindings.NO_PROVISIONER.equals(storageClass.get().getProvisioner())) {
            actions.add(new Action.Event(claim, false, "FailedBinding", "no persistent volumes available for this "
                    + "claim and the storage class \"" + className + "\" provisions none"));
        } else {
            actions.add(new Action.RequestProvisioning(claim, storageClass.get().getProvisioner()));
        }
        actions.add(new Action.ClaimPhase(claim, "Pending"));
        return actions;
    }

    /** A claim naming its volume (spec.volumeName) that is not bound yet. */
    private List<Action> syncRequestedVolume(PersistentVolumeClaim claim, String volumeName) {
        Optional<PersistentVolume> volume = volumeByName.apply(volumeName);
        if (volume.isEmpty()) {
            return List.of(new Action.ClaimPhase(claim, "Pending"));
        }
        PersistentVolume pv = volume.get();
        if (pv.getSpec().getClaimRef() == null) {
            Optional<String> mismatch = VolumeMatching.mismatch(claim, pv);
            if (mismatch.isPresent()) {
                return List.of(new Action.Event(claim, true, "VolumeMismatch", "Cannot bind to requested volume \""
                        + volumeName + "\": " + mismatch.get()), new Action.ClaimPhase(claim, "Pending"));
            }
            return List.of(new Action.Bind(pv, claim));
        }
        if (VolumeBindings.isBoundTo(pv, claim)) {
            return List.of(new Action.Bind(pv, claim));
        }
        return List.of(new Action.Event(claim, true, "FailedBinding", "volume \"" + volumeName
                + "\" already bound to a different claim."), new Action.ClaimPhase(claim, "Pending"));
    }

    /** A claim bound before: it stays bound to its volume, or is Lost. */
    private List<Action> syncBoundClaim(PersistentVolumeClaim claim) {
        String volumeName = claim.getSpec().getVolumeName();
        if (volumeName == null || volumeName.isEmpty()) {
            return lost(claim, "ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
        }
        Optional<PersistentVolume> volume = volumeByName.apply(volumeName);
        if (volume.isEmpty()) {
            return lost(claim, "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
        }
        ObjectReference ref = volume.get().getSpec().getClaimRef();
        if (ref == null || claim.getMetadata().getUid().equals(ref.getUid())) {
            return List.of(new Action.Bind(volume.get(), claim));
        }
        return lost(claim, "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly");
    }

    private static List<Action> lost(PersistentVolumeClaim claim, String reason, String message) {
        return List.of(new Action.Event(claim, true, reason, message), new Action.ClaimPhase(claim, "Lost"));
    }

    /**
     * @param claim the claim the volume's claimRef names, if it exists with the uid the reference
     *              holds (a claim of the same name made later is not this volume's)
     */
    List<Action> syncVolume(PersistentVolume volume, Optional<PersistentVolumeClaim> claim) {
        ObjectReference ref = volume.getSpec().getClaimRef();
        if (ref == null || ref.getUid() == null || ref.getUid().isEmpty()) {
            // free, or reserved by its creator for a claim that has not bound yet
            return List.of(new Action.VolumePhase(volume, "Available", null));
        }
        if (claim.isEmpty()) {
            return release(volume);
        }
        PersistentVolumeClaim pvc = claim.get();
        String claimVolume = pvc.getSpec().getVolumeName();
        if (claimVolume == null || claimVolume.isEmpty()) {
            return List.of(new Action.SyncClaim(pvc.getMetadata().getNamespace(), pvc.getMetadata().getName()));
        }
        if (claimVolume.equals(volume.getMetadata().getName())) {
            return List.of(new Action.VolumePhase(volume, "Bound", null));
        }
        // the claim went to another volume
        if (VolumeBindings.hasAnnotation(volume, VolumeBindings.PROVISIONED_BY)
                && "Delete".equals(volume.getSpec().getPersistentVolumeReclaimPolicy())) {
            return release(volume);
        }
        return List.of(new Action.Unbind(volume));
    }

    /** The claim is gone: Released, then what the reclaim policy says. */
    private static List<Action> release(PersistentVolume volume) {
        String phase = volume.getStatus() == null ? "" : String.valueOf(volume.getStatus().getPhase());
        if (phase.equals("Failed")) {
            return List.of();
        }
        String policy = volume.getSpec().getPersistentVolumeReclaimPolicy();
        if ("Delete".equals(policy) && !VolumeBindings.hasAnnotation(volume, VolumeBindings.PROVISIONED_BY)) {
            String message = "error getting deleter volume plugin for volume \"" + volume.getMetadata().getName()
                    + "\": no deletable volume plugin matched";
            return List.of(new Action.Event(volume, true, "VolumeFailedDelete", message),
                    new Action.VolumePhase(volume, "Failed", message));
        }
        if ("Recycle".equals(policy)) {
            String message = "No recycler plugin found for the volume!";
            return List.of(new Action.Event(volume, true, "VolumeFailedRecycle", message),
                    new Action.VolumePhase(volume, "Failed", message));
        }
        // Retain keeps the data for an administrator; Delete of a provisioned volume is its provisioner's
        return List.of(new Action.VolumePhase(volume, "Released", null));
    }
}
