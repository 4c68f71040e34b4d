package dev.konductor.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Job condition types, reasons and messages as upstream writes them, and helpers to read and set them. */
final class JobConditions {

    static final String COMPLETE = "Complete";
    static final String FAILED = "Failed";
    static final String SUSPENDED = "Suspended";
    static final String FAILURE_TARGET = "FailureTarget";
    static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";

    static final String REASON_BACKOFF_LIMIT = "BackoffLimitExceeded";
    static final String MESSAGE_BACKOFF_LIMIT = "Job has reached the specified backoff limit";
    static final String REASON_DEADLINE = "DeadlineExceeded";
    static final String MESSAGE_DEADLINE = "Job was active longer than specified deadline";
    static final String REASON_POD_FAILURE_POLICY = "PodFailurePolicy";
    static final String REASON_COMPLETIONS_REACHED = "CompletionsReached";
    static final String MESSAGE_COMPLETIONS_REACHED = "Reached expected number of succeeded pods";

    private JobConditions() {
    }

    static Optional<JobCondition> find(List<JobCondition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static boolean isTrue(List<JobCondition> conditions, String type) {
        return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    static JobCondition of(String type, String status, String reason, String message, Instant now) {
        String time = now.toString();
        return new JobConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastProbeTime(time).withLastTransitionTime(time).build();
    }

    /**
     * Sets {@code condition}, replacing one of the same type; an unchanged status keeps its
     * transition time, as upstream does.
     */
    static void set(List<JobCondition> conditions, JobCondition condition) {
        for (int i = 0; i < conditions.size(); i++) {
            JobCondition existing = conditions.get(i);
            if (existing.getType().equals(condition.getType())) {
                if (existing.getStatus().equals(condition.getStatus())
                        && java.util.Objects.equals(existing.getReason(), condition.getReason())) {
                    return;
                }
                conditions.set(i, condition);
                return;
            }
        }
        conditions.add(condition);
    }
}
