package dev.konductor.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many replicas a Resource metric asks for, as upstream's replica calculator works it out:
 * pods being deleted or failed are ignored, pending and not-yet-ready pods (for CPU, within the
 * initialisation period) do not count, pods without metrics count as using nothing when scaling
 * up and as using their request (or the target) when scaling down, and a usage ratio within the
 * tolerance of 1 keeps the current count.
 */
final class ReplicaCalculator {

    /** Upstream's --horizontal-pod-autoscaler-tolerance. */
    static final double TOLERANCE = 0.1;
    /** Upstream's --horizontal-pod-autoscaler-cpu-initialization-period. */
    static final Duration CPU_INITIALIZATION_PERIOD = Duration.ofMinutes(5);
    /** Upstream's --horizontal-pod-autoscaler-initial-readiness-delay. */
    static final Duration INITIAL_READINESS_DELAY = Duration.ofSeconds(30);

    /** One pod's usage of a resource, summed over its containers, in milli-units. */
    record PodUsage(long milliValue, Instant timestamp, Duration window) {
    }

    /**
     * The outcome for one metric.
     *
     * @param replicas        the replica count this metric asks for
     * @param utilization     the average utilization in percent of request (Utilization targets), else null
     * @param averageMilli    the average usage per counted pod, in milli-units
     * @param timestamp       the newest metrics sample used
     */
    record Recommendation(int replicas, Integer utilization, long averageMilli, Instant timestamp) {
    }

    /** Why no replica count could be worked out; the message is upstream's. */
    static final class CalculationException extends Exception {
        CalculationException(String message) {
            super(message);
        }
    }

    private ReplicaCalculator() {
    }

    /** For a {@code targetUtilization} percentage of the pods' requests. */
    static Recommendation forUtilization(int currentReplicas, int targetUtilization, String resource,
                                         List<Pod> pods, Map<String, PodUsage> podMetrics, Instant now)
            throws CalculationException {
        Map<String, PodUsage> metrics = checkedMetrics(resource, pods, podMetrics);
        Groups groups = group(pods, metrics, resource, now);
        groups.ignored.forEach(metrics::remove);
        groups.unready.forEach(metrics::remove);
        if (metrics.isEmpty()) {
            throw new CalculationException("did not receive metrics for targeted pods (pods might be unready)");
        }
        Map<String, Long> requests = requests(pods, resource);
        Ratio ratio = utilizationRatio(metrics, requests, targetUtilization);
        Instant timestamp = newest(metrics);
        Recommendation unchanged = new Recommendation(currentReplicas, ratio.utilization, ratio.averageMilli, timestamp);
        boolean scaleUpWithUnready = !groups.unready.isEmpty() && ratio.value > 1.0;
        if (!scaleUpWithUnready && groups.missing.isEmpty()) {
            if (withinTolerance(ratio.value)) {
                return unchanged;
            }
            return new Recommendation((int) Math.ceil(ratio.value * groups.ready), ratio.utilization,
                    ratio.averageMilli, timestamp);
        }
        Map<String, PodUsage> adjusted = new HashMap<>(metrics);
        for (String pod : groups.missing) {
            // scaling down: assume the pod uses its request (or the target, if higher); up: nothing
            long assumed = ratio.value < 1.0
                    ? requests.getOrDefault(pod, 0L) * Math.max(100, targetUtilization) / 100 : 0;
            adjusted.put(pod, new PodUsage(assumed, timestamp, Duration.ZERO));
        }
        if (scaleUpWithUnready) {
            for (String pod : groups.unready) {
                adjusted.put(pod, new PodUsage(0, timestamp, Duration.ZERO));
            }
        }
        Ratio newRatio = utilizationRatio(adjusted, requests, targetUtilization);
        return adjustedRecommendation(currentReplicas, ratio.value, newRatio.value, adjusted.size(), unchanged);
    }

    /** For a {@code targetMilli} average usage per pod (AverageValue targets). */
    static Recommendation forAverageValue(int currentReplicas, long targetMilli, String resource, List<Pod> pods,
                                          Map<String, PodUsage> podMetrics, Instant now) throws CalculationException {
        Map<String, PodUsage> metrics = checkedMetrics(resource, pods, podMetrics);
        Groups groups = group(pods, metrics, resource, now);
        groups.ignored.forEach(metrics::remove);
        groups.unready.forEach(metrics::remove);
        if (metrics.isEmpty()) {
            throw new CalculationException("did not receive metrics for targeted pods (pods might be unready)");
        }
        long average = average(metrics);
        double ratio = (double) average / targetMilli;
        Instant timestamp = newest(metrics);
        Recommendation unchanged = new Recommendation(currentReplicas, null, average, timestamp);
        boolean scaleUpWithUnready = !groups.unready.isEmpty() && ratio > 1.0;
        if (!scaleUpWithUnready && groups.missing.isEmpty()) {
            if (withinTolerance(ratio)) {
                return unchanged;
            }
            return new Recommendation((int) Math.ceil(ratio * groups.ready), null, average, timestamp);
        }
        Map<String, PodUsage> adjusted = new HashMap<>(metrics);
        for (String pod : groups.missing) {
            adjusted.put(pod, new PodUsage(ratio < 1.0 ? targetMilli : 0, timestamp, Duration.ZERO));
        }
        if (scaleUpWithUnready) {
            for (String pod : groups.unready) {
                adjusted.put(pod, new PodUsage(0, timestamp, Duration.ZERO));
            }
        }
        double newRatio = (double) average(adjusted) / targetMilli;
        return adjustedRecommendation(currentReplicas, ratio, newRatio, adjusted.size(), unchanged);
    }

    private static Recommendation adjustedRecommendation(int currentReplicas, double ratio, double newRatio,
                                                         int podCount, Recommendation unchanged) {
        // the assumptions must not flip the direction or make the change vanish
        if (withinTolerance(newRatio) || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) {
            return unchanged;
        }
        int replicas = (int) Math.ceil(newRatio * podCount);
        if ((newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas)) {
            return unchanged;
        }
        return new Recommendation(replicas, unchanged.utilization(), unchanged.averageMilli(), unchanged.timestamp());
    }

    static boolean withinTolerance(double ratio) {
        return Math.abs(1.0 - ratio) <= TOLERANCE;
    }

    private static Map<String, PodUsage> checkedMetrics(String resource, List<Pod> pods, Map<String, PodUsage> metrics)
            throws CalculationException {
        if (metrics.isEmpty()) {
            throw new CalculationException("unable to get metrics for resource " + resource
                    + ": no metrics returned from resource metrics API");
        }
        if (pods.isEmpty()) {
            throw new CalculationException("no pods returned by selector while calculating replica count");
        }
        return new HashMap<>(metrics);
    }

    private record Groups(int ready, Set<String> unready, Set<String> missing, Set<String> ignored) {
    }

    private static Groups group(List<Pod> pods, Map<String, PodUsage> metrics, String resource, Instant now) {
        int ready = 0;
        Set<String> unready = new HashSet<>();
        Set<String> missing = new HashSet<>();
        Set<String> ignored = new HashSet<>();
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if (pod.getMetadata().getDeletionTimestamp() != null || "Failed".equals(phase) || "Succeeded".equals(phase)) {
                ignored.add(name);
                continue;
            }
            if (phase == null || "Pending".equals(phase)) {
                unready.add(name);
                continue;
            }
            PodUsage usage = metrics.get(name);
            if (usage == null) {
                missing.add(name);
                continue;
            }
            if (resource.equals("cpu") && !cpuReady(pod, usage, now)) {
                unready.add(name);
                continue;
            }
            ready++;
        }
        return new Groups(ready, unready, missing, ignored);
    }

    /**
     * Whether a pod's CPU sample counts: during the initialisation period only a ready pod whose
     * sample was taken wholly after it became ready; afterwards any pod unless it never became
     * ready since starting (a readiness flap later on still counts).
     */
    private static boolean cpuReady(Pod pod, PodUsage usage, Instant now) {
        PodCondition condition = readyCondition(pod);
        Instant started = parse(pod.getStatus().getStartTime());
        if (condition == null || started == null) {
            return false;
        }
        Instant transition = parse(condition.getLastTransitionTime());
        if (transition == null) {
            transition = started;
        }
        boolean notReady = "False".equals(condition.getStatus());
        if (started.plus(CPU_INITIALIZATION_PERIOD).isAfter(now)) {
            return !(notReady || usage.timestamp().isBefore(transition.plus(usage.window())));
        }
        return !(notReady && started.plus(INITIAL_READINESS_DELAY).isAfter(transition));
    }

    private static PodCondition readyCondition(Pod pod) {
        if (pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst()
                .orElse(null);
    }

    /** Each pod's request for the resource, summed over its containers, in milli-units. */
    static Map<String, Long> requests(List<Pod> pods, String resource) throws CalculationException {
        Map<String, Long> requests = new HashMap<>();
        for (Pod pod : pods) {
            long sum = 0;
            for (Container c : pod.getSpec().getContainers()) {
                Quantity request = c.getResources() == null || c.getResources().getRequests() == null ? null
                        : c.getResources().getRequests().get(resource);
                if (request == null) {
                    throw new CalculationException("missing request for " + resource + " in container " + c.getName()
                            + " of Pod " + pod.getMetadata().getName());
                }
                sum += milli(request);
            }
            requests.put(pod.getMetadata().getName(), sum);
        }
        return requests;
    }

    private record Ratio(double value, int utilization, long averageMilli) {
    }

    private static Ratio utilizationRatio(Map<String, PodUsage> metrics, Map<String, Long> requests, int target)
            throws CalculationException {
        long usageTotal = 0;
        long requestTotal = 0;
        int counted = 0;
        for (Map.Entry<String, PodUsage> e : metrics.entrySet()) {
            Long request = requests.get(e.getKey());
            if (request == null) {
                continue; // a metric for a pod that is not (or no longer) a target
            }
            usageTotal += e.getValue().milliValue();
            requestTotal += request;
            counted++;
        }
        if (requestTotal == 0) {
            throw new CalculationException("no metrics returned matched known pods");
        }
        int utilization = (int) (usageTotal * 100 / requestTotal);
        return new Ratio((double) utilization / target, utilization, usageTotal / counted);
    }

    private static long average(Map<String, PodUsage> metrics) {
        long total = 0;
        for (PodUsage u : metrics.values()) {
            total += u.milliValue();
        }
        return total / metrics.size();
    }

    private static Instant newest(Map<String, PodUsage> metrics) {
        return metrics.values().stream().map(PodUsage::timestamp).max(Instant::compareTo).orElse(Instant.EPOCH);
    }

    static long milli(Quantity quantity) {
        return quantity.getNumericalAmount().multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING)
                .longValueExact();
    }

    private static Instant parse(String time) {
        if (time == null) {
            return null;
        }
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
