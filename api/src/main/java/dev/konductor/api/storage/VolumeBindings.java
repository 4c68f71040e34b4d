package dev.konductor.api.storage;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.Map;

/**
 * The annotations and small rules that the persistent volume controller, the provisioner and the
 * scheduler share about claims, volumes and their classes, named as upstream names them.
 */
public final class VolumeBindings {

    /** On a claim: the binder finished binding it (set once, never removed). */
    public static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
    /** On a claim or volume: the binder, not the user, made the binding. */
    public static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
    /** On a volume: the provisioner that made it (and deletes it). */
    public static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
    /** On a claim: the provisioner asked to make its volume. */
    public static final String STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
    public static final String BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
    /** On a claim: the node the scheduler picked for its first pod (WaitForFirstConsumer). */
    public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
    /** The class, as claims and volumes of old named it. */
    public static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
    public static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";
    /** The provisioner of classes whose volumes an administrator makes by hand (local volumes). */
    public static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";

    private VolumeBindings() {
    }

    /** The claim's class: the beta annotation, else the field, else "" (no class). */
    public static String claimClass(PersistentVolumeClaim claim) {
        String beta = annotation(claim.getMetadata().getAnnotations(), BETA_STORAGE_CLASS);
        if (beta != null) {
            return beta;
        }
        String name = claim.getSpec() == null ? null : claim.getSpec().getStorageClassName();
        return name == null ? "" : name;
    }

    /** The volume's class, by the same rule as a claim's. */
    public static String volumeClass(PersistentVolume volume) {
        String beta = annotation(volume.getMetadata().getAnnotations(), BETA_STORAGE_CLASS);
        if (beta != null) {
            return beta;
        }
        String name = volume.getSpec() == null ? null : volume.getSpec().getStorageClassName();
        return name == null ? "" : name;
    }

    /** Whether the volume's claimRef names this claim (by uid too, once the reference has one). */
    public static boolean isBoundTo(PersistentVolume volume, PersistentVolumeClaim claim) {
        ObjectReference ref = volume.getSpec() == null ? null : volume.getSpec().getClaimRef();
        if (ref == null) {
            return false;
        }
        String uid = ref.getUid();
        return claim.getMetadata().getName().equals(ref.getName())
                && claim.getMetadata().getNamespace().equals(ref.getNamespace())
                && (uid == null || uid.isEmpty() || uid.equals(claim.getMetadata().getUid()));
    }

    public static boolean hasAnnotation(io.fabric8.kubernetes.api.model.HasMetadata object, String name) {
        return annotation(object.getMetadata().getAnnotations(), name) != null;
    }

    public static String annotation(Map<String, String> annotations, String name) {
        return annotations == null ? null : annotations.get(name);
    }
}
