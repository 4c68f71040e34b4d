package dev.konductor.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The Deployment's conditions and their reasons, with upstream's rules for updating them. */
final class DeploymentConditions {

    static final String PROGRESSING = "Progressing";
    static final String AVAILABLE = "Available";
    static final String REPLICA_FAILURE = "ReplicaFailure";

    static final String NEW_RS_CREATED = "NewReplicaSetCreated";
    static final String FOUND_NEW_RS = "FoundNewReplicaSet";
    static final String RS_UPDATED = "ReplicaSetUpdated";
    static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    static final String TIMED_OUT = "ProgressDeadlineExceeded";
    static final String PAUSED = "DeploymentPaused";
    static final String RESUMED = "DeploymentResumed";
    static final String FAILED_RS_CREATE = "ReplicaSetCreateError";
    static final String MINIMUM_AVAILABLE = "MinimumReplicasAvailable";
    static final String MINIMUM_UNAVAILABLE = "MinimumReplicasUnavailable";

    private DeploymentConditions() {
    }

    static DeploymentCondition create(String type, String status, String reason, String message, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withLastUpdateTime(time).withLastTransitionTime(time).build();
    }

    static Optional<DeploymentCondition> get(DeploymentStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return Optional.empty();
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /**
     * Sets {@code condition} unless one of its type with the same status and reason exists; the
     * transition time is kept when the status does not change.
     */
    static void set(DeploymentStatus status, DeploymentCondition condition) {
        Optional<DeploymentCondition> current = get(status, condition.getType());
        if (current.isPresent() && Objects.equals(current.get().getStatus(), condition.getStatus())
                && Objects.equals(current.get().getReason(), condition.getReason())) {
            return;
        }
        if (current.isPresent() && Objects.equals(current.get().getStatus(), condition.getStatus())) {
            condition.setLastTransitionTime(current.get().getLastTransitionTime());
        }
        List<DeploymentCondition> conditions = new ArrayList<>(withoutType(status, condition.getType()));
        conditions.add(condition);
        status.setConditions(conditions);
    }

    static void remove(DeploymentStatus status, String type) {
        status.setConditions(new ArrayList<>(withoutType(status, type)));
    }

    private static List<DeploymentCondition> withoutType(DeploymentStatus status, String type) {
        if (status.getConditions() == null) {
            return List.of();
        }
        return status.getConditions().stream().filter(c -> !type.equals(c.getType())).toList();
    }
}
