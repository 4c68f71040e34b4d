package dev.konductor.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a metric's proposal into the replica count to set, as upstream does: stabilisation (the
 * highest recommendation of the scale-down window, the lowest of the scale-up window) and rate
 * limits (the behavior's policies over the recent scale events; without a behavior, at most
 * double or 4 at a time), then min/max. Remembers each HPA's recent recommendations and scale
 * events in memory, keyed by namespace/name, as upstream's controller does.
 */
final class ScalingRules {

    /** Upstream's --horizontal-pod-autoscaler-downscale-stabilization. */
    static final Duration DEFAULT_DOWNSCALE_STABILIZATION = Duration.ofMinutes(5);
    private static final int SCALE_UP_LIMIT_MINIMUM = 4;
    private static final double SCALE_UP_LIMIT_FACTOR = 2.0;

    /** The outcome, with the reasons for the AbleToScale and ScalingLimited conditions. */
    record Decision(int replicas, String ableReason, String ableMessage, boolean limited, String limitedReason,
                    String limitedMessage) {
    }

    private record Sample(int replicas, Instant at) {
    }

    private record ScaleEvent(int change, Instant at) {
    }

    private final Duration downscaleStabilization;
    private final Map<String, List<Sample>> recommendations = new ConcurrentHashMap<>();
    private final Map<String, List<ScaleEvent>> scaleUps = new ConcurrentHashMap<>();
    private final Map<String, List<ScaleEvent>> scaleDowns = new ConcurrentHashMap<>();

    ScalingRules(Duration downscaleStabilization) {
        this.downscaleStabilization = downscaleStabilization;
    }

    /** Forget an HPA that is gone. */
    void forget(String key) {
        recommendations.remove(key);
        scaleUps.remove(key);
        scaleDowns.remove(key);
    }

    Decision normalize(String key, HorizontalPodAutoscalerBehavior behavior, int current, int proposed, int min,
                       int max, Instant now) {
        return behavior == null
                ? withoutBehavior(key, current, proposed, min, max, now)
                : withBehavior(key, behavior, current, proposed, min, max, now);
    }

    /** Records a rescale so that the behavior's rate limits see it. */
    void recordScale(String key, HorizontalPodAutoscalerBehavior behavior, int from, int to, Instant now) {
        if (behavior == null || from == to) {
            return;
        }
        Map<String, List<ScaleEvent>> events = to > from ? scaleUps : scaleDowns;
        HPAScalingRules rules = to > from ? behavior.getScaleUp() : behavior.getScaleDown();
        long longest = longestPeriodSeconds(rules);
        events.compute(key, (k, list) -> {
            List<ScaleEvent> kept = new ArrayList<>();
            if (list != null) {
                for (ScaleEvent e : list) {
                    if (e.at().plusSeconds(longest).isAfter(now)) {
                        kept.add(e);
                    }
                }
            }
            kept.add(new ScaleEvent(Math.abs(to - from), now));
            return kept;
        });
    }

    private Decision withoutBehavior(String key, int current, int proposed, int min, int max, Instant now) {
        Instant cutoff = now.minus(downscaleStabilization);
        int stabilized = proposed;
        List<Sample> kept = new ArrayList<>();
        for (Sample s : recommendations.getOrDefault(key, List.of())) {
            if (s.at().isAfter(cutoff)) {
                stabilized = Math.max(stabilized, s.replicas());
                kept.add(s);
            }
        }
        kept.add(new Sample(proposed, now));
        recommendations.put(key, kept);
        String ableReason = "ReadyForNewScale";
        String ableMessage = "recommended size matches current size";
        if (stabilized != proposed) {
            ableReason = "ScaleDownStabilized";
            ableMessage = "recent recommendations were higher than current one, applying the highest recent recommendation";
        }
        int scaleUpLimit = (int) Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
        int maxAllowed;
        String reason;
        String message;
        if (max > scaleUpLimit) {
            maxAllowed = scaleUpLimit;
            reason = "ScaleUpLimit";
            message = "the desired replica count is increasing faster than the maximum scale rate";
        } else {
            maxAllowed = max;
            reason = "TooManyReplicas";
            message = "the desired replica count is more than the maximum replica count";
        }
        int desired = stabilized;
        if (stabilized < min) {
            desired = min;
            reason = "TooFewReplicas";
            message = "the desired replica count is less than the minimum replica count";
        } else if (stabilized > maxAllowed) {
            desired = maxAllowed;
        } else {
            reason = "DesiredWithinRange";
            message = "the desired count is within the acceptable range";
        }
        return new Decision(desired, ableReason, ableMessage, desired != stabilized, reason, message);
    }

    private Decision withBehavior(String key, HorizontalPodAutoscalerBehavior behavior, int current, int proposed,
                                  int min, int max, Instant now) {
        HPAScalingRules up = behavior.getScaleUp();
        HPAScalingRules down = behavior.getScaleDown();
        long upWindow = up == null || up.getStabilizationWindowSeconds() == null ? 0 : up.getStabilizationWindowSeconds();
        long downWindow = down == null || down.getStabilizationWindowSeconds() == null
                ? downscaleStabilization.toSeconds() : down.getStabilizationWindowSeconds();
        Instant upCutoff = now.minusSeconds(upWindow);
        Instant downCutoff = now.minusSeconds(downWindow);
        int upRecommendation = proposed;
        int downRecommendation = proposed;
        List<Sample> kept = new ArrayList<>();
        for (Sample s : recommendations.getOrDefault(key, List.of())) {
            if (s.at().isAfter(upCutoff)) {
                upRecommendation = Math.min(upRecommendation, s.replicas());
            }
            if (s.at().isAfter(downCutoff)) {
                downRecommendation = Math.max(downRecommendation, s.replicas());
            }
            if (s.at().isAfter(upCutoff) || s.at().isAfter(downCutoff)) {
                kept.add(s);
            }
        }
        kept.add(new Sample(proposed, now));
        recommendations.put(key, kept);
        int stabilized = Math.min(Math.max(current, upRecommendation), downRecommendation);
        String ableReason = "ReadyForNewScale";
        String ableMessage = "recommended size matches current size";
        if (stabilized != proposed) {
            if (proposed >= current) {
                ableReason = "ScaleUpStabilized";
                ableMessage = "recent recommendations were lower than current one, applying the lowest recent recommendation";
            } else {
                ableReason = "ScaleDownStabilized";
                ableMessage = "recent recommendations were higher than current one, applying the highest recent recommendation";
            }
        }
        int desired = stabilized;
        String reason = "DesiredWithinRange";
        String message = "the desired count is within the acceptable range";
        List<ScaleEvent> ups = scaleUps.getOrDefault(key, List.of());
        List<ScaleEvent> downs = scaleDowns.getOrDefault(key, List.of());
        if (stabilized > current) {
            int limit = Math.max(current, scaleUpLimit(current, ups, downs, up, now));
            int maxAllowed = max;
            String limitReason = "TooManyReplicas";
            String limitMessage = "the desired replica count is more than the maximum replica count";
            if (max > limit) {
                maxAllowed = limit;
                limitReason = "ScaleUpLimit";
                limitMessage = "the desired replica count is increasing faster than the maximum scale rate";
            }
            if (stabilized > maxAllowed) {
                desired = maxAllowed;
                reason = limitReason;
                message = limitMessage;
            }
        } else if (stabilized < current) {
            int limit = Math.min(current, scaleDownLimit(current, ups, downs, down, now));
            int minAllowed = min;
            String limitReason = "TooFewReplicas";
            String limitMessage = "the desired replica count is less than the minimum replica count";
            if (min < limit) {
                minAllowed = limit;
                limitReason = "ScaleDownLimit";
                limitMessage = "the desired replica count is decreasing faster than the maximum scale rate";
            }
            if (stabilized < minAllowed) {
                desired = minAllowed;
                reason = limitReason;
                message = limitMessage;
            }
        }
        return new Decision(desired, ableReason, ableMessage, desired != stabilized, reason, message);
    }

    private static int scaleUpLimit(int current, List<ScaleEvent> ups, List<ScaleEvent> downs, HPAScalingRules rules,
                                    Instant now) {
        if (rules == null || "Disabled".equals(rules.getSelectPolicy())) {
            return current;
        }
        boolean pickMin = "Min".equals(rules.getSelectPolicy());
        long result = pickMin ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (HPAScalingPolicy policy : policies(rules)) {
            int start = current - changeInPeriod(policy, ups, now) + changeInPeriod(policy, downs, now);
            long proposed = "Pods".equals(policy.getType()) ? (long) start + policy.getValue()
                    : (long) Math.ceil(start * (1 + policy.getValue() / 100.0));
            result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return (int) Math.min(Integer.MAX_VALUE, result);
    }

    private static int scaleDownLimit(int current, List<ScaleEvent> ups, List<ScaleEvent> downs, HPAScalingRules rules,
                                      Instant now) {
        if (rules == null || "Disabled".equals(rules.getSelectPolicy())) {
            return current;
        }
        // the policy that allows the biggest change wins by default, i.e. the lowest limit
        boolean pickMin = "Min".equals(rules.getSelectPolicy());
        long result = pickMin ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        for (HPAScalingPolicy policy : policies(rules)) {
            int start = current - changeInPeriod(policy, ups, now) + changeInPeriod(policy, downs, now);
            long proposed = "Pods".equals(policy.getType()) ? (long) start - policy.getValue()
                    : (long) (start * (1 - policy.getValue() / 100.0));
            result = pickMin ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return (int) Math.max(Integer.MIN_VALUE, result);
    }

    private static List<HPAScalingPolicy> policies(HPAScalingRules rules) {
        return rules.getPolicies() == null ? List.of() : rules.getPolicies();
    }

    private static int changeInPeriod(HPAScalingPolicy policy, List<ScaleEvent> events, Instant now) {
        Instant cutoff = now.minusSeconds(policy.getPeriodSeconds() == null ? 0 : policy.getPeriodSeconds());
        int sum = 0;
        for (ScaleEvent e : events) {
            if (e.at().isAfter(cutoff)) {
                sum += e.change();
            }
        }
        return sum;
    }

    private static long longestPeriodSeconds(HPAScalingRules rules) {
        long longest = 0;
        if (rules != null) {
            for (HPAScalingPolicy p : policies(rules)) {
                longest = Math.max(longest, p.getPeriodSeconds() == null ? 0 : p.getPeriodSeconds());
            }
        }
        return longest;
    }
}
