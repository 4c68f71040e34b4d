package dev.konductor.controllers.statefulset;

import dev.konductor.controllers.framework.OwnerRefs;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * persistentVolumeClaimRetentionPolicy as owner references, the way upstream expresses it so that
 * the garbage collector does the deleting: {@code whenDeleted: Delete} makes the StatefulSet own
 * its claims; {@code whenScaled: Delete} makes a scaled-down pod own its claims, so they go with
 * it. Retain/Retain leaves claims unowned. Pure.
 */
final class ClaimRetention {

    static final String RETAIN = "Retain";
    static final String DELETE = "Delete";

    private ClaimRetention() {
    }

    static String whenDeleted(StatefulSet set) {
        return policy(set, StatefulSetPersistentVolumeClaimRetentionPolicy::getWhenDeleted);
    }

    static String whenScaled(StatefulSet set) {
        return policy(set, StatefulSetPersistentVolumeClaimRetentionPolicy::getWhenScaled);
    }

    private static String policy(StatefulSet set,
                                 java.util.function.Function<StatefulSetPersistentVolumeClaimRetentionPolicy, String> f) {
        StatefulSetPersistentVolumeClaimRetentionPolicy policy = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
        String value = policy == null ? null : f.apply(policy);
        return DELETE.equals(value) ? DELETE : RETAIN;
    }

    /** True if the pod's ordinal is outside the set's current range (it is being scaled away). */
    static boolean scaledDown(StatefulSet set, Pod pod) {
        int ordinal = StatefulPods.ordinal(pod);
        int start = StatefulPods.startOrdinal(set);
        return ordinal < start || ordinal >= start + StatefulPods.replicas(set);
    }

    /**
     * The owner references {@code claim} should have for {@code pod} (a stored pod, with its uid):
     * its other owners, plus the set or the pod as the policy says — unless some other controller
     * already owns the claim, in which case the policy is not applied.
     */
    static List<OwnerReference> desiredOwners(StatefulSet set, Pod pod, PersistentVolumeClaim claim) {
        List<OwnerReference> refs = new ArrayList<>();
        boolean foreignController = false;
        for (OwnerReference ref : owners(claim)) {
            if (refersTo(ref, set) || refersTo(ref, pod)) {
                continue;
            }
            if (Boolean.TRUE.equals(ref.getController())) {
                foreignController = true;
            }
            refs.add(ref);
        }
        if (foreignController) {
            return refs;
        }
        boolean scaledDown = scaledDown(set, pod);
        boolean deleteWithSet = DELETE.equals(whenDeleted(set));
        boolean deleteWhenScaled = DELETE.equals(whenScaled(set));
        if (deleteWhenScaled && scaledDown) {
            refs.add(OwnerRefs.controllerRef(pod));
        } else if (deleteWithSet) {
            refs.add(OwnerRefs.controllerRef(set));
        }
        return refs;
    }

    /** The owners a brand-new claim for an in-range pod gets (the pod does not exist yet). */
    static List<OwnerReference> ownersAtCreation(StatefulSet set) {
        return DELETE.equals(whenDeleted(set)) ? List.of(OwnerRefs.controllerRef(set)) : List.of();
    }

    static boolean upToDate(StatefulSet set, Pod pod, PersistentVolumeClaim claim) {
        return identities(owners(claim)).equals(identities(desiredOwners(set, pod, claim)));
    }

    /**
     * A claim left owned by an earlier pod of the same name under {@code whenScaled: Delete} is
     * about to be garbage-collected: the pod must not be created on it.
     */
    static boolean stale(StatefulSet set, String podName, String podUid, PersistentVolumeClaim claim) {
        if (!DELETE.equals(whenScaled(set))) {
            return false;
        }
        return owners(claim).stream().anyMatch(ref -> "Pod".equals(ref.getKind()) && podName.equals(ref.getName())
                && !Objects.equals(ref.getUid(), podUid));
    }

    private static boolean refersTo(OwnerReference ref, HasMetadata owner) {
        return owner.getMetadata().getUid() != null && owner.getMetadata().getUid().equals(ref.getUid());
    }

    private static List<OwnerReference> owners(PersistentVolumeClaim claim) {
        return claim.getMetadata().getOwnerReferences() == null ? List.of() : claim.getMetadata().getOwnerReferences();
    }

    private static Set<String> identities(List<OwnerReference> refs) {
        return refs.stream().map(r -> r.getKind() + "/" + r.getName() + "/" + r.getUid() + "/" + r.getController())
                .collect(Collectors.toSet());
    }
}
