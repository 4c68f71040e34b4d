package dev.konductor.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/** Pure reasoning over a Deployment's ReplicaSets, as upstream's deployment utilities. */
final class ReplicaSetLists {

    /** Oldest first; ties by name. */
    static final Comparator<ReplicaSet> BY_CREATION = Comparator.comparing(ReplicaSetLists::created)
            .thenComparing(rs -> rs.getMetadata().getName());
    /** Largest first; ties oldest first (the order to scale down in). */
    static final Comparator<ReplicaSet> BY_SIZE_OLDER = Comparator.comparingInt((ReplicaSet rs) -> Deployments.replicas(rs)).reversed()
            .thenComparing(BY_CREATION);
    /** Largest first; ties newest first (the order to scale up in). */
    static final Comparator<ReplicaSet> BY_SIZE_NEWER = Comparator.comparingInt((ReplicaSet rs) -> Deployments.replicas(rs)).reversed()
            .thenComparing(BY_CREATION.reversed());
    /** Lowest revision first; ties by creation. */
    static final Comparator<ReplicaSet> BY_REVISION = Comparator
            .comparingLong((ReplicaSet rs) -> RevisionAnnotations.revision(rs).orElse(0))
            .thenComparing(BY_CREATION);

    private ReplicaSetLists() {
    }

    /** The oldest ReplicaSet whose template is the Deployment's (ignoring the hash label). */
    static ReplicaSet findNew(Deployment d, List<ReplicaSet> replicaSets) {
        return replicaSets.stream().sorted(BY_CREATION)
                .filter(rs -> PodTemplateHash.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
                .findFirst().orElse(null);
    }

    /** Every ReplicaSet but the new one. */
    static List<ReplicaSet> findOld(Deployment d, List<ReplicaSet> replicaSets) {
        ReplicaSet newRs = findNew(d, replicaSets);
        return replicaSets.stream().filter(rs -> newRs == null || !sameUid(rs, newRs)).toList();
    }

    /** Those with spec.replicas above zero (nulls dropped). */
    static List<ReplicaSet> active(List<ReplicaSet> replicaSets) {
        return replicaSets.stream().filter(Objects::nonNull).filter(rs -> Deployments.replicas(rs) > 0).toList();
    }

    /** The new ReplicaSet (may be null) followed by the old ones. */
    static List<ReplicaSet> all(ReplicaSet newRs, List<ReplicaSet> old) {
        List<ReplicaSet> all = new ArrayList<>(old);
        if (newRs != null) {
            all.add(newRs);
        }
        return all;
    }

    static int specReplicas(List<ReplicaSet> replicaSets) {
        return replicaSets.stream().filter(Objects::nonNull).mapToInt(Deployments::replicas).sum();
    }

    static int statusReplicas(List<ReplicaSet> replicaSets) {
        return replicaSets.stream().filter(Objects::nonNull).mapToInt(Deployments::statusReplicas).sum();
    }

    static int availableReplicas(List<ReplicaSet> replicaSets) {
        return replicaSets.stream().filter(Objects::nonNull).mapToInt(Deployments::availableReplicas).sum();
    }

    static int readyReplicas(List<ReplicaSet> replicaSets) {
        return replicaSets.stream().filter(Objects::nonNull).mapToInt(Deployments::readyReplicas).sum();
    }

    /**
     * The single ReplicaSet with replicas, or if none has any, the new one (else the newest old
     * one); null when several have replicas.
     */
    static ReplicaSet activeOrLatest(ReplicaSet newRs, List<ReplicaSet> old) {
        if (newRs == null && old.isEmpty()) {
            return null;
        }
        List<ReplicaSet> oldNewestFirst = old.stream().sorted(BY_CREATION.reversed()).toList();
        List<ReplicaSet> active = active(all(newRs, oldNewestFirst));
        return switch (active.size()) {
            case 0 -> newRs != null ? newRs : oldNewestFirst.getFirst();
            case 1 -> active.getFirst();
            default -> null;
        };
    }

    /** The new ReplicaSet is at full size and fully available for the current desired count. */
    static boolean isSaturated(Deployment d, ReplicaSet rs) {
        if (rs == null) {
            return false;
        }
        OptionalInt desired = RevisionAnnotations.desiredReplicas(rs);
        int replicas = Deployments.replicas(d);
        return desired.isPresent() && desired.getAsInt() == replicas
                && Deployments.availableReplicas(rs) == replicas && Deployments.replicas(rs) == replicas;
    }

    /** How big a new ReplicaSet may be made now. */
    static int newReplicaSetSize(Deployment d, List<ReplicaSet> all, ReplicaSet newRs) {
        if (!Fenceposts.isRollingUpdate(d)) {
            return Deployments.replicas(d);
        }
        int desired = Deployments.replicas(d);
        int maxTotal = desired + Fenceposts.maxSurge(d);
        int current = specReplicas(all);
        if (current >= maxTotal) {
            return Deployments.replicas(newRs);
        }
        int scaleUp = Math.min(maxTotal - current, desired - Deployments.replicas(newRs));
        return Deployments.replicas(newRs) + scaleUp;
    }

    /**
     * This ReplicaSet's share of {@code toAdd} (negative when scaling down) in proportional
     * scaling, given {@code added} already handed out: its size scaled by the ratio of the
     * Deployment's new maximum size to the one recorded on it, and never past what is left.
     */
    static int proportion(ReplicaSet rs, Deployment d, int toAdd, int added) {
        if (rs == null || Deployments.replicas(rs) == 0 || toAdd == 0 || toAdd == added) {
            return 0;
        }
        int fraction = fraction(rs, d);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    private static int fraction(ReplicaSet rs, Deployment d) {
        int size = Deployments.replicas(rs);
        if (Deployments.replicas(d) == 0) {
            return -size;
        }
        int maxNow = Deployments.replicas(d) + Fenceposts.maxSurge(d);
        OptionalInt annotated = RevisionAnnotations.maxReplicas(rs);
        int maxBefore = annotated.orElse(0);
        if (maxBefore == 0) {
            maxBefore = d.getStatus() == null || d.getStatus().getReplicas() == null ? 0 : d.getStatus().getReplicas();
            if (maxBefore == 0) {
                return 0;
            }
        }
        double newSize = (double) (size * maxNow) / maxBefore;
        return roundHalfAway(newSize) - size;
    }

    static int roundHalfAway(double value) {
        return (int) (value < 0 ? value - 0.5 : value + 0.5);
    }

    static boolean sameUid(ReplicaSet a, ReplicaSet b) {
        return Objects.equals(a.getMetadata().getUid(), b.getMetadata().getUid());
    }

    private static Instant created(ReplicaSet rs) {
        String t = rs.getMetadata().getCreationTimestamp();
        return t == null || t.isEmpty() ? Instant.EPOCH : Instant.parse(t);
    }
}
