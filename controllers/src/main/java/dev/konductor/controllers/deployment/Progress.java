package dev.konductor.controllers.deployment;

import static dev.konductor.controllers.deployment.DeploymentConditions.AVAILABLE;
import static dev.konductor.controllers.deployment.DeploymentConditions.PROGRESSING;
import static dev.konductor.controllers.deployment.DeploymentConditions.REPLICA_FAILURE;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Deployment's status and its Progressing and Available conditions, computed from its
 * ReplicaSets (pure: the caller writes the result). These are the fields {@code kubectl rollout
 * status} reads. Counters that are zero are left out, as upstream's JSON omits them.
 */
final class Progress {

    private Progress() {
    }

    /** Replica counts, observedGeneration and the Available condition. */
    static DeploymentStatus calculate(Deployment d, List<ReplicaSet> all, ReplicaSet newRs, Instant now) {
        int available = ReplicaSetLists.availableReplicas(all);
        int unavailable = Math.max(0, ReplicaSetLists.specReplicas(all) - available);
        DeploymentStatus old = d.getStatus();
        DeploymentStatus status = new DeploymentStatusBuilder()
                .withObservedGeneration(Deployments.generation(d))
                .withReplicas(nullIfZero(ReplicaSetLists.statusReplicas(all)))
                .withUpdatedReplicas(nullIfZero(Deployments.statusReplicas(newRs)))
                .withReadyReplicas(nullIfZero(ReplicaSetLists.readyReplicas(all)))
                .withAvailableReplicas(nullIfZero(available))
                .withUnavailableReplicas(nullIfZero(unavailable))
                .withCollisionCount(old == null ? null : old.getCollisionCount())
                .build();
        List<DeploymentCondition> conditions = new ArrayList<>();
        if (old != null && old.getConditions() != null) {
            old.getConditions().forEach(c -> conditions.add(new DeploymentConditionBuilder(c).build()));
        }
        status.setConditions(conditions);
        if (available >= Deployments.replicas(d) - Fenceposts.maxUnavailable(d)) {
            DeploymentConditions.set(status, DeploymentConditions.create(AVAILABLE, "True",
                    DeploymentConditions.MINIMUM_AVAILABLE, "Deployment has minimum availability.", now));
        } else {
            DeploymentConditions.set(status, DeploymentConditions.create(AVAILABLE, "False",
                    DeploymentConditions.MINIMUM_UNAVAILABLE, "Deployment does not have minimum availability.", now));
        }
        return status;
    }

    /**
     * The status during or after a rollout: {@link #calculate} plus the Progressing condition
     * (progressing, complete or timed out against progressDeadlineSeconds) and any
     * ReplicaFailure of the ReplicaSets.
     */
    static DeploymentStatus rollout(Deployment d, List<ReplicaSet> all, ReplicaSet newRs, Instant now) {
        DeploymentStatus status = calculate(d, all, newRs, now);
        if (!Deployments.hasProgressDeadline(d)) {
            DeploymentConditions.remove(status, PROGRESSING);
        }
        Optional<DeploymentCondition> current = DeploymentConditions.get(d.getStatus(), PROGRESSING);
        boolean alreadyComplete = Objects.equals(status.getReplicas(), status.getUpdatedReplicas())
                && current.isPresent() && DeploymentConditions.NEW_RS_AVAILABLE.equals(current.get().getReason());
        if (Deployments.hasProgressDeadline(d) && !alreadyComplete) {
            String subject = newRs != null ? "ReplicaSet \"" + newRs.getMetadata().getName() + "\""
                    : "Deployment \"" + d.getMetadata().getName() + "\"";
            if (complete(d, status)) {
                DeploymentConditions.set(status, DeploymentConditions.create(PROGRESSING, "True",
                        DeploymentConditions.NEW_RS_AVAILABLE, subject + " has successfully progressed.", now));
            } else if (progressing(d, status)) {
                DeploymentCondition condition = DeploymentConditions.create(PROGRESSING, "True",
                        DeploymentConditions.RS_UPDATED, subject + " is progressing.", now);
                // progress moves lastUpdateTime even when the reason stays the same
                if (current.isPresent()) {
                    if ("True".equals(current.get().getStatus())) {
                        condition.setLastTransitionTime(current.get().getLastTransitionTime());
                    }
                    DeploymentConditions.remove(status, PROGRESSING);
                }
                DeploymentConditions.set(status, condition);
            } else if (timedOut(d, status, now)) {
                DeploymentConditions.set(status, DeploymentConditions.create(PROGRESSING, "False",
                        DeploymentConditions.TIMED_OUT, subject + " has timed out progressing.", now));
            }
        }
        Optional<DeploymentCondition> failure = replicaFailure(all, newRs);
        if (failure.isPresent()) {
            DeploymentConditions.set(status, failure.get());
        } else {
            DeploymentConditions.remove(status, REPLICA_FAILURE);
        }
        return status;
    }

    /** Every desired pod is updated, available, and no old pod is left. */
    static boolean complete(Deployment d, DeploymentStatus status) {
        int replicas = Deployments.replicas(d);
        return orZero(status.getUpdatedReplicas()) == replicas && orZero(status.getReplicas()) == replicas
                && orZero(status.getAvailableReplicas()) == replicas
                && orZero(status.getObservedGeneration()) >= Deployments.generation(d);
    }

    /** Something moved since the status last written: more updated, ready or available pods, fewer old ones. */
    static boolean progressing(Deployment d, DeploymentStatus status) {
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        int oldOld = orZero(old.getReplicas()) - orZero(old.getUpdatedReplicas());
        int newOld = orZero(status.getReplicas()) - orZero(status.getUpdatedReplicas());
        return orZero(status.getUpdatedReplicas()) > orZero(old.getUpdatedReplicas()) || newOld < oldOld
                || orZero(status.getReadyReplicas()) > orZero(old.getReadyReplicas())
                || orZero(status.getAvailableReplicas()) > orZero(old.getAvailableReplicas());
    }

    /** No progress for progressDeadlineSeconds since the Progressing condition was last updated. */
    static boolean timedOut(Deployment d, DeploymentStatus status, Instant now) {
        if (!Deployments.hasProgressDeadline(d)) {
            return false;
        }
        Optional<DeploymentCondition> condition = DeploymentConditions.get(status, PROGRESSING);
        if (condition.isEmpty() || DeploymentConditions.NEW_RS_AVAILABLE.equals(condition.get().getReason())) {
            return false;
        }
        if (DeploymentConditions.TIMED_OUT.equals(condition.get().getReason())) {
            return true;
        }
        return lastUpdate(condition.get()).plusSeconds(d.getSpec().getProgressDeadlineSeconds()).isBefore(now);
    }

    /**
     * When to look at the Deployment again to notice a missed deadline: empty when there is no
     * deadline to watch (none set, no Progressing condition, complete, or already timed out).
     */
    static Optional<Duration> recheckAfter(Deployment d, DeploymentStatus status, Instant now) {
        Optional<DeploymentCondition> current = DeploymentConditions.get(d.getStatus(), PROGRESSING);
        if (!Deployments.hasProgressDeadline(d) || current.isEmpty() || complete(d, status)
                || DeploymentConditions.TIMED_OUT.equals(current.get().getReason())) {
            return Optional.empty();
        }
        Duration after = Duration.between(now,
                lastUpdate(current.get()).plusSeconds(d.getSpec().getProgressDeadlineSeconds()));
        // a second more, so that the deadline has surely passed when we look
        return Optional.of(after.isNegative() ? Duration.ofSeconds(1) : after.plusSeconds(1));
    }

    /**
     * Progressing=Unknown with DeploymentPaused / DeploymentResumed when spec.paused changes
     * (not over a timed-out condition). Updates {@code d}'s status; true if it changed.
     */
    static boolean syncPausedCondition(Deployment d, Instant now) {
        if (!Deployments.hasProgressDeadline(d)) {
            return false;
        }
        Optional<DeploymentCondition> current = DeploymentConditions.get(d.getStatus(), PROGRESSING);
        if (current.isPresent() && DeploymentConditions.TIMED_OUT.equals(current.get().getReason())) {
            return false;
        }
        boolean pausedConditionExists = current.isPresent()
                && DeploymentConditions.PAUSED.equals(current.get().getReason());
        DeploymentStatus status = d.getStatus();
        if (Deployments.paused(d) && !pausedConditionExists) {
            DeploymentConditions.set(status, DeploymentConditions.create(PROGRESSING, "Unknown",
                    DeploymentConditions.PAUSED, "Deployment is paused", now));
            return true;
        }
        if (!Deployments.paused(d) && pausedConditionExists) {
            DeploymentConditions.set(status, DeploymentConditions.create(PROGRESSING, "Unknown",
                    DeploymentConditions.RESUMED, "Deployment is resumed", now));
            return true;
        }
        return false;
    }

    /** The first ReplicaFailure condition of the new ReplicaSet, else of the old ones. */
    private static Optional<DeploymentCondition> replicaFailure(List<ReplicaSet> all, ReplicaSet newRs) {
        List<ReplicaSet> ordered = new ArrayList<>();
        if (newRs != null) {
            ordered.add(newRs);
        }
        all.stream().filter(rs -> rs != null && rs != newRs).forEach(ordered::add);
        for (ReplicaSet rs : ordered) {
            if (rs.getStatus() == null || rs.getStatus().getConditions() == null) {
                continue;
            }
            for (ReplicaSetCondition c : rs.getStatus().getConditions()) {
                if (REPLICA_FAILURE.equals(c.getType())) {
                    return Optional.of(new DeploymentConditionBuilder().withType(c.getType()).withStatus(c.getStatus())
                            .withReason(c.getReason()).withMessage(c.getMessage())
                            .withLastTransitionTime(c.getLastTransitionTime())
                            .withLastUpdateTime(c.getLastTransitionTime()).build());
                }
            }
        }
        return Optional.empty();
    }

    /** Whether writing {@code b} over {@code a} would change anything a reader can see. */
    static boolean same(DeploymentStatus a, DeploymentStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        return orZero(a.getObservedGeneration()) == orZero(b.getObservedGeneration())
                && orZero(a.getReplicas()) == orZero(b.getReplicas())
                && orZero(a.getUpdatedReplicas()) == orZero(b.getUpdatedReplicas())
                && orZero(a.getReadyReplicas()) == orZero(b.getReadyReplicas())
                && orZero(a.getAvailableReplicas()) == orZero(b.getAvailableReplicas())
                && orZero(a.getUnavailableReplicas()) == orZero(b.getUnavailableReplicas())
                && Objects.equals(a.getCollisionCount(), b.getCollisionCount())
                && Objects.equals(emptyIfNull(a.getConditions()), emptyIfNull(b.getConditions()));
    }

    private static Instant lastUpdate(DeploymentCondition c) {
        String t = c.getLastUpdateTime() != null ? c.getLastUpdateTime() : c.getLastTransitionTime();
        return t == null || t.isEmpty() ? Instant.EPOCH : Instant.parse(t);
    }

    private static <T> List<T> emptyIfNull(List<T> list) {
        return list == null ? List.of() : list;
    }

    static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static Integer nullIfZero(int value) {
        return value == 0 ? null : value;
    }
}
