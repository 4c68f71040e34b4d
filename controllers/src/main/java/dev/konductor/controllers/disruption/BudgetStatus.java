package dev.konductor.controllers.disruption;

import dev.konductor.controllers.framework.PodReadiness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A PodDisruptionBudget's status from its pods (upstream's disruption controller, minus the
 * API calls). Pods the eviction API just evicted ({@code status.disruptedPods}) no longer count
 * as healthy until they are gone, or for at most {@link #DELETION_TIMEOUT}.
 *
 * @param status  the status to write
 * @param recheck when to look again because a disrupted pod's grace runs out, if ever
 */
record BudgetStatus(PodDisruptionBudgetStatus status, Optional<Instant> recheck) {

    static final String CONDITION = "DisruptionAllowed";
    static final String SUFFICIENT_PODS = "SufficientPods";
    static final String INSUFFICIENT_PODS = "InsufficientPods";
    static final String SYNC_FAILED = "SyncFailed";
    /** How long an evicted pod may take to get its deletion timestamp before it counts again. */
    static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);

    static BudgetStatus of(PodDisruptionBudget pdb, List<Pod> pods, ExpectedPods expected, Instant now) {
        Map<String, String> disrupted = new LinkedHashMap<>();
        Instant recheck = null;
        Map<String, String> recorded = pdb.getStatus() == null || pdb.getStatus().getDisruptedPods() == null
                ? Map.of() : pdb.getStatus().getDisruptedPods();
        Map<String, Pod> byName = pods.stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p,
                (a, b) -> a));
        for (Map.Entry<String, String> entry : recorded.entrySet()) {
            Pod pod = byName.get(entry.getKey());
            Instant evicted = parse(entry.getValue());
            if (pod == null || PodReadiness.isTerminating(pod) || evicted == null) {
                continue;
            }
            Instant expires = evicted.plus(DELETION_TIMEOUT);
            if (!expires.isAfter(now)) {
                continue;
            }
            disrupted.put(entry.getKey(), entry.getValue());
            recheck = recheck == null || expires.isBefore(recheck) ? expires : recheck;
        }
        int healthy = 0;
        for (Pod pod : pods) {
            if (!PodReadiness.isTerminating(pod) && !disrupted.containsKey(pod.getMetadata().getName())
                    && PodReadiness.isReady(pod)) {
                healthy++;
            }
        }
        int allowed = healthy - expected.desiredHealthy();
        if (expected.expectedCount() <= 0 || allowed < 0) {
            allowed = 0;
        }
        long generation = Optional.ofNullable(pdb.getMetadata().getGeneration()).orElse(0L);
        PodDisruptionBudgetStatus status = new PodDisruptionBudgetStatusBuilder()
                .withCurrentHealthy(healthy)
                .withDesiredHealthy(expected.desiredHealthy())
                .withExpectedPods(expected.expectedCount())
                .withDisruptionsAllowed(allowed)
                .withDisruptedPods(disrupted)
                .withObservedGeneration(generation)
                .withConditions(conditions(pdb, allowed > 0 ? "True" : "False",
                        allowed > 0 ? SUFFICIENT_PODS : INSUFFICIENT_PODS, "", generation, now))
                .build();
        return new BudgetStatus(status, Optional.ofNullable(recheck));
    }

    /** The status when the budget cannot be computed: no disruption allowed, the error said. */
    static PodDisruptionBudgetStatus failSafe(PodDisruptionBudget pdb, String error, Instant now) {
        PodDisruptionBudgetStatus current = pdb.getStatus() == null ? new PodDisruptionBudgetStatus()
                : pdb.getStatus();
        long generation = Optional.ofNullable(current.getObservedGeneration()).orElse(0L);
        return new PodDisruptionBudgetStatusBuilder(current).withDisruptionsAllowed(0)
                .withConditions(conditions(pdb, "False", SYNC_FAILED, error, generation, now)).build();
    }

    /**
     * The budget's conditions with DisruptionAllowed set; its transition time moves only when
     * its status does (metav1's SetStatusCondition).
     */
    private static List<Condition> conditions(PodDisruptionBudget pdb, String status, String reason, String message,
                                              long generation, Instant now) {
        List<Condition> conditions = new ArrayList<>();
        String transition = now.truncatedTo(ChronoUnit.SECONDS).toString();
        if (pdb.getStatus() != null && pdb.getStatus().getConditions() != null) {
            for (Condition c : pdb.getStatus().getConditions()) {
                if (CONDITION.equals(c.getType())) {
                    if (status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                        transition = c.getLastTransitionTime();
                    }
                } else {
                    conditions.add(c);
                }
            }
        }
        conditions.add(new ConditionBuilder().withType(CONDITION).withStatus(status).withReason(reason)
                .withMessage(message).withObservedGeneration(generation).withLastTransitionTime(transition).build());
        return conditions;
    }

    /** True if {@code a} and {@code b} say the same (transition times aside, which follow status). */
    static boolean same(PodDisruptionBudgetStatus a, PodDisruptionBudgetStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.getCurrentHealthy(), b.getCurrentHealthy())
                && Objects.equals(a.getDesiredHealthy(), b.getDesiredHealthy())
                && Objects.equals(a.getExpectedPods(), b.getExpectedPods())
                && Objects.equals(a.getDisruptionsAllowed(), b.getDisruptionsAllowed())
                && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
                && Objects.equals(nullToEmpty(a.getDisruptedPods()), nullToEmpty(b.getDisruptedPods()))
                && conditionKeys(a).equals(conditionKeys(b));
    }

    private static Map<String, String> nullToEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static Set<List<Object>> conditionKeys(PodDisruptionBudgetStatus status) {
        if (status.getConditions() == null) {
            return Set.of();
        }
        return status.getConditions().stream().map(c -> List.<Object>of(String.valueOf(c.getType()),
                String.valueOf(c.getStatus()), String.valueOf(c.getReason()), String.valueOf(c.getMessage()),
                String.valueOf(c.getObservedGeneration()))).collect(Collectors.toSet());
    }

    private static Instant parse(String timestamp) {
        try {
            return timestamp == null ? null : Instant.parse(timestamp);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
