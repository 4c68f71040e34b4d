package dev.konductor.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A ReplicaSet's status from the pods it owns, as upstream computes it. Counters that are zero
 * are left out (null), as upstream's JSON omits them; {@code replicas} is always present.
 */
final class ReplicaSetStatuses {

    static final String REPLICA_FAILURE = "ReplicaFailure";

    private ReplicaSetStatuses() {
    }

    /**
     * @param pods         the active pods the ReplicaSet owns
     * @param failure      why the last create or delete failed, or null
     * @param scalingUp    whether that failure was a create (else a delete)
     */
    static ReplicaSetStatus calculate(ReplicaSet rs, List<Pod> pods, String failure, boolean scalingUp, Instant now) {
        Map<String, String> templateLabels = rs.getSpec().getTemplate() == null
                || rs.getSpec().getTemplate().getMetadata() == null
                || rs.getSpec().getTemplate().getMetadata().getLabels() == null
                ? Map.of() : rs.getSpec().getTemplate().getMetadata().getLabels();
        int minReadySeconds = orZero(rs.getSpec().getMinReadySeconds());
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        for (Pod pod : pods) {
            Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
            if (templateLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
                fullyLabeled++;
            }
            if (PodStates.isReady(pod)) {
                ready++;
                if (PodStates.isAvailable(pod, minReadySeconds, now)) {
                    available++;
                }
            }
        }
        List<ReplicaSetCondition> conditions = new ArrayList<>(conditions(rs));
        boolean hasFailure = conditions.stream().anyMatch(c -> REPLICA_FAILURE.equals(c.getType()));
        if (failure != null && !hasFailure) {
            conditions.add(new ReplicaSetConditionBuilder().withType(REPLICA_FAILURE).withStatus("True")
                    .withReason(scalingUp ? "FailedCreate" : "FailedDelete").withMessage(failure)
                    .withLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString()).build());
        } else if (failure == null && hasFailure) {
            conditions.removeIf(c -> REPLICA_FAILURE.equals(c.getType()));
        }
        return new ReplicaSetStatusBuilder()
                .withReplicas(pods.size())
                .withFullyLabeledReplicas(nullIfZero(fullyLabeled))
                .withReadyReplicas(nullIfZero(ready))
                .withAvailableReplicas(nullIfZero(available))
                .withObservedGeneration(rs.getMetadata().getGeneration())
                .withConditions(conditions.isEmpty() ? null : conditions)
                .build();
    }

    /** Whether a status write would change anything a reader can see. */
    static boolean same(ReplicaSetStatus a, ReplicaSetStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        return orZero(a.getReplicas()) == orZero(b.getReplicas())
                && orZero(a.getFullyLabeledReplicas()) == orZero(b.getFullyLabeledReplicas())
                && orZero(a.getReadyReplicas()) == orZero(b.getReadyReplicas())
                && orZero(a.getAvailableReplicas()) == orZero(b.getAvailableReplicas())
                && Objects.equals(orZero(a.getObservedGeneration()), orZero(b.getObservedGeneration()))
                && Objects.equals(emptyIfNull(a.getConditions()), emptyIfNull(b.getConditions()));
    }

    private static List<ReplicaSetCondition> conditions(ReplicaSet rs) {
        return rs.getStatus() == null ? List.of() : emptyIfNull(rs.getStatus().getConditions());
    }

    private static <T> List<T> emptyIfNull(List<T> list) {
        return list == null ? List.of() : list;
    }

    static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static Integer nullIfZero(int value) {
        return value == 0 ? null : value;
    }
}
