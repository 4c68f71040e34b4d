package dev.konductor.controllers.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.Lister;
import dev.konductor.testing.ManualClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One HPA sync at a time against in-memory caches, a fake /scale and metrics the test sets. */
class AutoscalerTest {

    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private final CacheImpl<HorizontalPodAutoscaler> hpaCache = cache();
    private final CacheImpl<Pod> podCache = cache();
    private final Map<String, Integer> replicas = new HashMap<>();
    private final List<String> events = new ArrayList<>();
    private final List<PodMetrics> podMetrics = new ArrayList<>();
    private boolean failUpdates;

    private final Autoscaler autoscaler = new Autoscaler(new Lister<>(hpaCache), new Lister<>(podCache),
            new FakeScale(), (ns, selector) -> List.copyOf(podMetrics),
            hpa -> hpaCache.put(new HorizontalPodAutoscalerBuilder(hpa).build()),
            (hpa, type, reason, message) -> events.add(type + " " + reason + " " + message),
            clock, Duration.ofMinutes(5));

    @Test
    void scalesUpOnCpuUtilizationAboveTargetAtMostDoublingWithoutBehavior() {
        deployment(2);
        pods(2, "100m", "200m");
        hpa(cpuUtilization(50), 1, 10, null);

        sync();

        assertThat(replicas.get("web")).isEqualTo(4);
        assertThat(events).containsExactly(
                "Normal SuccessfulRescale New size: 4; reason: cpu resource utilization (percentage of request) above target");
        HorizontalPodAutoscalerStatus status = status();
        assertThat(status.getCurrentReplicas()).isEqualTo(2);
        assertThat(status.getDesiredReplicas()).isEqualTo(4);
        assertThat(status.getLastScaleTime()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        var current = status.getCurrentMetrics().getFirst().getResource();
        assertThat(current.getName()).isEqualTo("cpu");
        assertThat(current.getCurrent().getAverageUtilization()).isEqualTo(200);
        assertThat(current.getCurrent().getAverageValue()).isEqualTo(new Quantity("200m"));
        assertThat(conditions()).containsExactly(
                "AbleToScale=True SucceededRescale: the HPA controller was able to update the target scale to 4",
                "ScalingActive=True ValidMetricFound: the HPA was able to successfully calculate a replica count from"
                        + " cpu resource utilization (percentage of request)",
                "ScalingLimited=True ScaleUpLimit: the desired replica count is increasing faster than the maximum"
                        + " scale rate");
    }

    @Test
    void staysWithinTheTolerance() {
        deployment(3);
        pods(3, "100m", "54m");
        hpa(cpuUtilization(50), 1, 10, null);

        sync();

        assertThat(replicas.get("web")).isEqualTo(3);
        assertThat(events).isEmpty();
        assertThat(status().getDesiredReplicas()).isEqualTo(3);
        assertThat(status().getLastScaleTime()).isNull();
        assertThat(conditions()).containsExactly(
                "AbleToScale=True ReadyForNewScale: recommended size matches current size",
                "ScalingActive=True ValidMetricFound: the HPA was able to successfully calculate a replica count from"
                        + " cpu resource utilization (percentage of request)",
                "ScalingLimited=False DesiredWithinRange: the desired count is within the acceptable range");
    }

    @Test
    void scaleDownWaitsForTheStabilizationWindow() {
        deployment(4);
        pods(4, "100m", "50m");
        hpa(cpuUtilization(50), 1, 10, null);
        sync(); // recommends 4
        setUsage("10m");
        clock.advance(Duration.ofSeconds(15));

        sync();

        assertThat(replicas.get("web")).isEqualTo(4);
        assertThat(conditions().getFirst()).isEqualTo("AbleToScale=True ScaleDownStabilized: recent recommendations"
                + " were higher than current one, applying the highest recent recommendation");

        clock.advance(Duration.ofSeconds(290)); // the first recommendation is now 305 s old
        sync();

        assertThat(replicas.get("web")).isEqualTo(1);
        assertThat(events).containsExactly("Normal SuccessfulRescale New size: 1; reason: All metrics below target");
    }

    @Test
    void behaviorPoliciesLimitTheScaleUpRate() {
        deployment(2);
        pods(2, "100m", "400m");
        hpa(cpuUtilization(50), 1, 20, new io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehaviorBuilder()
                .withNewScaleUp().withStabilizationWindowSeconds(0).withSelectPolicy("Max")
                .addNewPolicy().withType("Pods").withValue(1).withPeriodSeconds(60).endPolicy().endScaleUp()
                .withNewScaleDown().withSelectPolicy("Max")
                .addNewPolicy().withType("Percent").withValue(100).withPeriodSeconds(15).endPolicy().endScaleDown()
                .build());

        sync();
        assertThat(replicas.get("web")).isEqualTo(3);
        clock.advance(Duration.ofSeconds(15));
        sync();
        assertThat(replicas.get("web")).isEqualTo(3); // one pod per minute
        assertThat(conditions()).contains("ScalingLimited=True ScaleUpLimit: the desired replica count is increasing"
                + " faster than the maximum scale rate");
        clock.advance(Duration.ofSeconds(60));
        sync();
        assertThat(replicas.get("web")).isEqualTo(4);
    }

    @Test
    void averageValueTargetsCompareRawUsage() {
        deployment(2);
        pods(2, "100m", "10m");
        podMetrics.replaceAll(m -> new PodMetricsBuilder(m).editFirstContainer()
                .addToUsage("memory", new Quantity("128Mi")).endContainer().build());
        hpa(new MetricSpecBuilder().withType("Resource").withNewResource().withName("memory").withNewTarget()
                .withType("AverageValue").withAverageValue(new Quantity("64Mi")).endTarget().endResource().build(), 1, 10,
                null);

        sync();

        assertThat(replicas.get("web")).isEqualTo(4);
        assertThat(events).containsExactly("Normal SuccessfulRescale New size: 4; reason: memory resource above target");
        assertThat(status().getCurrentMetrics().getFirst().getResource().getCurrent().getAverageValue())
                .isEqualTo(new Quantity(Long.toString(128L * 1024 * 1024)));
    }

    @Test
    void missingMetricsStopScaling() {
        deployment(2);
        pods(2, "100m", "10m");
        podMetrics.clear();
        hpa(cpuUtilization(50), 1, 10, null);

        sync();

        assertThat(replicas.get("web")).isEqualTo(2);
        assertThat(conditions()).contains("ScalingActive=False FailedGetResourceMetric: the HPA was unable to compute"
                + " the replica count: failed to get cpu utilization: unable to get metrics for resource cpu:"
                + " no metrics returned from resource metrics API");
        assertThat(events).containsExactly("Warning FailedGetResourceMetric failed to get cpu utilization: unable to"
                + " get metrics for resource cpu: no metrics returned from resource metrics API");
    }

    @Test
    void aMissingTargetIsReportedOnAbleToScale() {
        hpa(cpuUtilization(50), 1, 10, null);

        sync();

        assertThat(conditions()).containsExactly("AbleToScale=False FailedGetScale: the HPA controller was unable"
                + " to get the target's current scale: deployments.apps \"web\" not found");
        assertThat(events).containsExactly("Warning FailedGetScale deployments.apps \"web\" not found");
    }

    @Test
    void minAndMaxReplicasAreEnforcedFirst() {
        deployment(1);
        pods(1, "100m", "50m");
        hpa(cpuUtilization(50), 3, 10, null);

        sync();

        assertThat(replicas.get("web")).isEqualTo(3);
        assertThat(events).containsExactly(
                "Normal SuccessfulRescale New size: 3; reason: Current number of replicas below Spec.MinReplicas");
    }

    @Test
    void zeroReplicasDisableScaling() {
        deployment(0);
        hpa(cpuUtilization(50), 1, 10, null);

        sync();

        assertThat(replicas.get("web")).isZero();
        assertThat(conditions()).contains("ScalingActive=False ScalingDisabled: scaling is disabled since the replica"
                + " count of the target is zero");
    }

    @Test
    void aFailedScaleWriteIsAWarning() {
        deployment(2);
        pods(2, "100m", "200m");
        hpa(cpuUtilization(50), 1, 10, null);
        failUpdates = true;

        sync();

        assertThat(events).containsExactly("Warning FailedRescale New size: 4; reason: cpu resource utilization"
                + " (percentage of request) above target; error: Operation cannot be fulfilled");
        assertThat(conditions().getFirst()).isEqualTo("AbleToScale=False FailedUpdateScale: the HPA controller was"
                + " unable to update the target scale: Operation cannot be fulfilled");
    }

    @Test
    void deletedHpaIsForgotten() {
        assertThat(autoscaler.reconcile("default/gone").requeues()).isFalse();
    }

    // ---- fixtures ----

    private void sync() {
        assertThat(autoscaler.reconcile("default/web").requeueAfter()).isEqualTo(Duration.ofSeconds(15));
    }

    private HorizontalPodAutoscalerStatus status() {
        return hpaCache.getByKey("default/web").getStatus();
    }

    private List<String> conditions() {
        List<String> out = new ArrayList<>();
        for (HorizontalPodAutoscalerCondition c : status().getConditions()) {
            out.add(c.getType() + "=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage());
        }
        return out;
    }

    private void deployment(int count) {
        replicas.put("web", count);
    }

    private void pods(int count, String cpuRequest, String cpuUsage) {
        String longAgo = T0.minus(Duration.ofHours(1)).toString();
        for (int i = 0; i < count; i++) {
            String name = "web-" + i;
            podCache.put(new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                    .addToLabels("app", "web").endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("nginx").withNewResources()
                    .addToRequests("cpu", new Quantity(cpuRequest)).addToRequests("memory", new Quantity("64Mi"))
                    .endResources().endContainer().endSpec()
                    .withNewStatus().withPhase("Running").withStartTime(longAgo)
                    .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(longAgo).endCondition()
                    .endStatus().build());
            podMetrics.add(new PodMetricsBuilder().withNewMetadata().withName(name).withNamespace("default")
                    .addToLabels("app", "web").endMetadata().withTimestamp(T0.toString())
                    .withWindow(new io.fabric8.kubernetes.api.model.Duration(Duration.ofSeconds(15)))
                    .addNewContainer().withName("app").addToUsage("cpu", new Quantity(cpuUsage)).endContainer().build());
        }
    }

    private void setUsage(String cpu) {
        podMetrics.replaceAll(m -> new PodMetricsBuilder(m).editFirstContainer()
                .addToUsage("cpu", new Quantity(cpu)).endContainer().build());
    }

    private static io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec cpuUtilization(int percent) {
        return new MetricSpecBuilder().withType("Resource").withNewResource().withName("cpu").withNewTarget()
                .withType("Utilization").withAverageUtilization(percent).endTarget().endResource().build();
    }

    private void hpa(io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec metric, int min, int max,
                     io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior behavior) {
        hpaCache.put(new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("web").withNamespace("default")
                .withGeneration(1L).withResourceVersion("1").endMetadata()
                .withNewSpec().withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("web")
                .endScaleTargetRef().withMinReplicas(min).withMaxReplicas(max).withMetrics(metric)
                .withBehavior(behavior).endSpec().build());
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> CacheImpl<T> cache() {
        return new CacheImpl<>(Cache.NAMESPACE_INDEX, Cache::metaNamespaceIndexFunc, Cache::metaNamespaceKeyFunc);
    }

    private final class FakeScale implements ScaleTargets {
        @Override
        public Scale get(String namespace, CrossVersionObjectReference target) throws ScaleException {
            Integer count = replicas.get(target.getName());
            if (count == null) {
                throw new ScaleException("deployments.apps \"" + target.getName() + "\" not found");
            }
            return new ScaleBuilder().withNewMetadata().withName(target.getName()).withNamespace(namespace).endMetadata()
                    .withNewSpec().withReplicas(count).endSpec()
                    .withNewStatus().withReplicas(count).withSelector("app=web").endStatus().build();
        }

        @Override
        public void update(String namespace, CrossVersionObjectReference target, Scale current, int count)
                throws ScaleException {
            if (failUpdates) {
                throw new ScaleException("Operation cannot be fulfilled");
            }
            replicas.put(target.getName(), count);
        }
    }

}
