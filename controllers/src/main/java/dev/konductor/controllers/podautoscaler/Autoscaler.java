package dev.konductor.controllers.podautoscaler;

import dev.konductor.api.meta.LabelSelector;
import dev.konductor.api.meta.SelectorParseException;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.Reconciler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerConditionBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatusBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One HorizontalPodAutoscaler sync, as upstream's reconcileAutoscaler: read the target's scale,
 * work out the replicas each metric asks for, stabilise and rate-limit, write the scale, then the
 * status (currentReplicas, desiredReplicas, currentMetrics, lastScaleTime and the AbleToScale,
 * ScalingActive and ScalingLimited conditions) and events. Reads come from informer caches and
 * the metrics API; writes go through the scale and status subresources.
 */
final class Autoscaler implements Reconciler {

    /** Upstream's --horizontal-pod-autoscaler-sync-period. */
    static final Duration SYNC_PERIOD = Duration.ofSeconds(15);

    private final Lister<HorizontalPodAutoscaler> hpas;
    private final Lister<Pod> pods;
    private final ScaleTargets targets;
    private final PodMetricsSource metrics;
    private final Consumer<HorizontalPodAutoscaler> statusWriter;
    private final Events events;
    private final Clock clock;
    private final ScalingRules rules;

    Autoscaler(Lister<HorizontalPodAutoscaler> hpas, Lister<Pod> pods, ScaleTargets targets, PodMetricsSource metrics,
               Consumer<HorizontalPodAutoscaler> statusWriter, Events events, Clock clock,
               Duration downscaleStabilization) {
        this.hpas = hpas;
        this.pods = pods;
        this.targets = targets;
        this.metrics = metrics;
        this.statusWriter = statusWriter;
        this.events = events;
        this.clock = clock;
        this.rules = new ScalingRules(downscaleStabilization);
    }

    /** Where events about an HPA go (the controller's CoreEvents; a list in tests). */
    @FunctionalInterface
    interface Events {
        void record(HorizontalPodAutoscaler hpa, String type, String reason, String message);

        default void normal(HorizontalPodAutoscaler hpa, String reason, String message) {
            record(hpa, "Normal", reason, message);
        }

        default void warning(HorizontalPodAutoscaler hpa, String reason, String message) {
            record(hpa, "Warning", reason, message);
        }
    }

    @Override
    public Result reconcile(String key) {
        HorizontalPodAutoscaler hpa = hpas.get(key).orElse(null);
        if (hpa == null) {
            rules.forget(key);
            return Result.done();
        }
        Sync sync = new Sync(hpa, clock.instant());
        sync.run(key);
        sync.writeStatus();
        return Result.after(SYNC_PERIOD);
    }

    /** The state of one sync: the HPA as read, and the status being built. */
    private final class Sync {
        final HorizontalPodAutoscaler hpa;
        final String namespace;
        final Instant now;
        final List<HorizontalPodAutoscalerCondition> conditions = new ArrayList<>();
        List<MetricStatus> currentMetrics;
        Integer currentReplicas;
        int desiredReplicas;
        String lastScaleTime;

        Sync(HorizontalPodAutoscaler hpa, Instant now) {
            this.hpa = hpa;
            this.namespace = hpa.getMetadata().getNamespace();
            this.now = now;
            HorizontalPodAutoscalerStatus old = hpa.getStatus();
            if (old != null) {
                if (old.getConditions() != null) {
                    old.getConditions().forEach(c -> conditions.add(new HorizontalPodAutoscalerConditionBuilder(c).build()));
                }
                currentMetrics = old.getCurrentMetrics();
                currentReplicas = old.getCurrentReplicas();
                desiredReplicas = old.getDesiredReplicas() == null ? 0 : old.getDesiredReplicas();
                lastScaleTime = old.getLastScaleTime();
            }
        }

        void run(String key) {
            var ref = hpa.getSpec().getScaleTargetRef();
            Scale scale;
            try {
                scale = targets.get(namespace, ref);
            } catch (ScaleTargets.ScaleException e) {
                condition("AbleToScale", "False", "FailedGetScale",
                        "the HPA controller was unable to get the target's current scale: " + e.getMessage());
                events.warning(hpa, "FailedGetScale", e.getMessage());
                return;
            }
            condition("AbleToScale", "True", "SucceededGetScale",
                    "the HPA controller was able to get the target's current scale");
            int current = scale.getSpec() == null || scale.getSpec().getReplicas() == null ? 0 : scale.getSpec().getReplicas();
            currentReplicas = current;
            int min = hpa.getSpec().getMinReplicas() == null ? 1 : hpa.getSpec().getMinReplicas();
            int max = hpa.getSpec().getMaxReplicas();
            int desired;
            String reason;
            if (current == 0 && min != 0) {
                condition("ScalingActive", "False", "ScalingDisabled",
                        "scaling is disabled since the replica count of the target is zero");
                desiredReplicas = 0;
                return;
            } else if (current > max) {
                desired = max;
                reason = "Current number of replicas above Spec.MaxReplicas";
            } else if (current < min) {
                desired = min;
                reason = "Current number of replicas below Spec.MinReplicas";
            } else {
                Proposal proposal = propose(scale, current);
                if (proposal == null) {
                    return; // conditions say why; desiredReplicas stays what it was, as upstream
                }
                desired = proposal.replicas();
                reason = desired > current ? proposal.metric() + " above target" : "All metrics below target";
                ScalingRules.Decision decision = rules.normalize(key, hpa.getSpec().getBehavior(), current, desired,
                        min, max, now);
                condition("AbleToScale", "True", decision.ableReason(), decision.ableMessage());
                condition("ScalingLimited", decision.limited() ? "True" : "False", decision.limitedReason(),
                        decision.limitedMessage());
                desired = decision.replicas();
            }
            if (desired == current) {
                desiredReplicas = current;
                return;
            }
            try {
                targets.update(namespace, ref, scale, desired);
            } catch (ScaleTargets.ScaleException e) {
                condition("AbleToScale", "False", "FailedUpdateScale",
                        "the HPA controller was unable to update the target scale: " + e.getMessage());
                events.warning(hpa, "FailedRescale",
                        "New size: " + desired + "; reason: " + reason + "; error: " + e.getMessage());
                desiredReplicas = current;
                return;
            }
            condition("AbleToScale", "True", "SucceededRescale",
                    "the HPA controller was able to update the target scale to " + desired);
            events.normal(hpa, "SuccessfulRescale", "New size: " + desired + "; reason: " + reason);
            rules.recordScale(key, hpa.getSpec().getBehavior(), current, desired, now);
            desiredReplicas = desired;
            lastScaleTime = now.truncatedTo(ChronoUnit.SECONDS).toString();
        }

        /** The highest replica count any metric asks for; null (conditions set) if none can be had. */
        private Proposal propose(Scale scale, int current) {
            String selectorText = scale.getStatus() == null ? null : scale.getStatus().getSelector();
            if (selectorText == null || selectorText.isEmpty()) {
                events.warning(hpa, "SelectorRequired", "selector is required");
                condition("ScalingActive", "False", "InvalidSelector", "the HPA target's scale is missing a selector");
                return null;
            }
            LabelSelector selector;
            try {
                selector = LabelSelector.parse(selectorText);
            } catch (SelectorParseException e) {
                events.warning(hpa, "InvalidSelector",
                        "couldn't convert selector into a corresponding internal selector object: " + e.getMessage());
                condition("ScalingActive", "False", "InvalidSelector", "the HPA target's scale has an invalid selector");
                return null;
            }
            List<Pod> targetPods = pods.list(namespace).stream().filter(p -> selector.matches(labels(p))).toList();
            List<PodMetrics> podMetrics = null;
            List<MetricStatus> statuses = new ArrayList<>();
            Proposal best = null;
            String[] failure = null;
            int invalid = 0;
            List<MetricSpec> specs = hpa.getSpec().getMetrics() == null ? List.of() : hpa.getSpec().getMetrics();
            for (MetricSpec spec : specs) {
                if (!"Resource".equals(spec.getType()) || spec.getResource() == null) {
                    invalid++;
                    failure = new String[] {"InvalidMetricSourceType",
                            "the HPA was unable to compute the replica count: metric type " + spec.getType()
                                    + " is not supported yet", "InvalidMetricSourceType"};
                    statuses.add(new MetricStatusBuilder().withType("").build());
                    continue;
                }
                String resource = spec.getResource().getName();
                MetricTarget target = spec.getResource().getTarget();
                boolean utilization = "Utilization".equals(target.getType());
                try {
                    if (podMetrics == null) {
                        podMetrics = metrics.list(namespace, selectorText);
                    }
                    Map<String, ReplicaCalculator.PodUsage> usage = usage(podMetrics, resource);
                    ReplicaCalculator.Recommendation r;
                    String metricName;
                    if (utilization) {
                        if (target.getAverageUtilization() == null) {
                            throw new ReplicaCalculator.CalculationException(
                                    "invalid resource metric source: neither a utilization target nor a value target was set");
                        }
                        r = ReplicaCalculator.forUtilization(current, target.getAverageUtilization(), resource,
                                targetPods, usage, now);
                        metricName = resource + " resource utilization (percentage of request)";
                    } else {
                        if (target.getAverageValue() == null) {
                            throw new ReplicaCalculator.CalculationException(
                                    "invalid resource metric source: neither a utilization target nor a value target was set");
                        }
                        r = ReplicaCalculator.forAverageValue(current, ReplicaCalculator.milli(target.getAverageValue()),
                                resource, targetPods, usage, now);
                        metricName = resource + " resource";
                    }
                    statuses.add(resourceStatus(resource, r));
                    if (best == null || r.replicas() > best.replicas()) {
                        best = new Proposal(r.replicas(), metricName);
                    }
                } catch (ReplicaCalculator.CalculationException | RuntimeException e) {
                    invalid++;
                    String message = "failed to get " + resource + (utilization ? " utilization: " : " usage: ")
                            + e.getMessage();
                    failure = new String[] {"FailedGetResourceMetric",
                            "the HPA was unable to compute the replica count: " + message, message};
                    statuses.add(new MetricStatusBuilder().withType("").build());
                }
            }
            currentMetrics = statuses.stream().filter(s -> !s.getType().isEmpty()).toList();
            if (currentMetrics.isEmpty()) {
                currentMetrics = null;
            }
            if (failure != null && (invalid >= specs.size() || (best != null && best.replicas() < current))) {
                condition("ScalingActive", "False", failure[0], failure[1]);
                events.warning(hpa, failure[0], failure[2]);
                return null;
            }
            if (best == null) {
                return null;
            }
            condition("ScalingActive", "True", "ValidMetricFound",
                    "the HPA was able to successfully calculate a replica count from " + best.metric());
            return best;
        }

        void condition(String type, String status, String reason, String message) {
            String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
            for (int i = 0; i < conditions.size(); i++) {
                HorizontalPodAutoscalerCondition c = conditions.get(i);
                if (type.equals(c.getType())) {
                    String transition = status.equals(c.getStatus()) && c.getLastTransitionTime() != null
                            ? c.getLastTransitionTime() : time;
                    conditions.set(i, new HorizontalPodAutoscalerConditionBuilder().withType(type).withStatus(status)
                            .withReason(reason).withMessage(message).withLastTransitionTime(transition).build());
                    return;
                }
            }
            conditions.add(new HorizontalPodAutoscalerConditionBuilder().withType(type).withStatus(status)
                    .withReason(reason).withMessage(message).withLastTransitionTime(time).build());
        }

        void writeStatus() {
            HorizontalPodAutoscalerStatus status = new HorizontalPodAutoscalerStatusBuilder()
                    .withObservedGeneration(hpa.getMetadata().getGeneration())
                    .withCurrentReplicas(currentReplicas)
                    .withDesiredReplicas(desiredReplicas)
                    .withCurrentMetrics(currentMetrics)
                    .withLastScaleTime(lastScaleTime)
                    .withConditions(conditions)
                    .build();
            if (Objects.equals(normalized(status), normalized(hpa.getStatus()))) {
                return;
            }
            statusWriter.accept(new HorizontalPodAutoscalerBuilder(hpa).withStatus(status).build());
        }
    }

    private record Proposal(int replicas, String metric) {
    }

    /** Compares statuses as JSON would: an empty list is no list. */
    private static HorizontalPodAutoscalerStatus normalized(HorizontalPodAutoscalerStatus status) {
        if (status == null) {
            return null;
        }
        HorizontalPodAutoscalerStatus copy = new HorizontalPodAutoscalerStatusBuilder(status).build();
        if (copy.getCurrentMetrics() != null && copy.getCurrentMetrics().isEmpty()) {
            copy.setCurrentMetrics(null);
        }
        if (copy.getConditions() != null && copy.getConditions().isEmpty()) {
            copy.setConditions(null);
        }
        return copy;
    }

    /**
     * Each pod's usage of {@code resource}, summed over its containers; a pod with a container
     * that reports no such usage is left out, as upstream's metrics client does.
     */
    static Map<String, ReplicaCalculator.PodUsage> usage(List<PodMetrics> podMetrics, String resource) {
        Map<String, ReplicaCalculator.PodUsage> usage = new HashMap<>();
        for (PodMetrics m : podMetrics) {
            if (m.getContainers() == null || m.getContainers().isEmpty()) {
                continue;
            }
            long sum = 0;
            boolean complete = true;
            for (ContainerMetrics c : m.getContainers()) {
                Quantity q = c.getUsage() == null ? null : c.getUsage().get(resource);
                if (q == null) {
                    complete = false;
                    break;
                }
                sum += ReplicaCalculator.milli(q);
            }
            if (complete) {
                Instant timestamp = parse(m.getTimestamp());
                Duration window = m.getWindow() == null ? Duration.ZERO : m.getWindow().getDuration();
                usage.put(m.getMetadata().getName(), new ReplicaCalculator.PodUsage(sum, timestamp, window));
            }
        }
        return usage;
    }

    private static MetricStatus resourceStatus(String resource, ReplicaCalculator.Recommendation r) {
        MetricValueStatusBuilder current = new MetricValueStatusBuilder().withAverageValue(milliQuantity(r.averageMilli()));
        if (r.utilization() != null) {
            current.withAverageUtilization(r.utilization());
        }
        return new MetricStatusBuilder().withType("Resource").withNewResource().withName(resource)
                .withCurrent(current.build()).endResource().build();
    }

    /** A milli-unit amount as upstream prints it: whole units when exact, else with an m suffix. */
    static Quantity milliQuantity(long milli) {
        return milli % 1000 == 0 ? new Quantity(Long.toString(milli / 1000)) : new Quantity(milli + "m");
    }

    private static Map<String, String> labels(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    private static Instant parse(String time) {
        if (time == null) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
