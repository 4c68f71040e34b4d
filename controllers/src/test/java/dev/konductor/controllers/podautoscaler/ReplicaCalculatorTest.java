package dev.konductor.controllers.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream's replica arithmetic for the awkward cases: unready, missing and terminating pods. */
class ReplicaCalculatorTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Instant LONG_AGO = NOW.minus(Duration.ofHours(1));

    @Test
    void unreadyPodsCountAsIdleWhenScalingUp() throws Exception {
        // 2 ready pods at 100 % of a 50 % target, 2 pods not ready yet
        List<Pod> pods = List.of(ready("a"), ready("b"), unready("c"), unready("d"));
        var r = ReplicaCalculator.forUtilization(4, 50, "cpu", pods, usage("a", 100, "b", 100, "c", 0, "d", 0), NOW);
        // ratio with the unready pods at 0: (200 / 400) / 0.5 = 1.0: inside the tolerance, keep 4
        assertThat(r.replicas()).isEqualTo(4);
        assertThat(r.utilization()).isEqualTo(100);
    }

    @Test
    void podsWithoutMetricsUseTheirRequestWhenScalingDown() throws Exception {
        List<Pod> pods = List.of(ready("a"), ready("b"), ready("c"), ready("d"));
        var r = ReplicaCalculator.forUtilization(4, 50, "cpu", pods, usage("a", 10, "b", 10), NOW);
        // a, b at 10 %; c, d assumed at 100 %: (10+10+100+100)/400 = 55 % -> ratio 1.1 -> keep 4
        assertThat(r.replicas()).isEqualTo(4);
    }

    @Test
    void terminatingAndFailedPodsAreIgnored() throws Exception {
        Pod deleting = new PodBuilder(ready("b")).editMetadata().withDeletionTimestamp(NOW.toString()).endMetadata().build();
        Pod failed = new PodBuilder(ready("c")).editStatus().withPhase("Failed").endStatus().build();
        var r = ReplicaCalculator.forUtilization(3, 50, "cpu", List.of(ready("a"), deleting, failed),
                usage("a", 100, "b", 100, "c", 100), NOW);
        assertThat(r.replicas()).isEqualTo(2); // only a counts: 200 % of target
    }

    @Test
    void aPodWithoutARequestIsAnError() {
        Pod noRequest = new PodBuilder(ready("a")).editSpec().editFirstContainer().withNewResources().endResources()
                .endContainer().endSpec().build();
        assertThatThrownBy(() -> ReplicaCalculator.forUtilization(1, 50, "cpu", List.of(noRequest), usage("a", 10), NOW))
                .hasMessage("missing request for cpu in container app of Pod a");
    }

    @Test
    void noUsableMetricsIsAnError() {
        assertThatThrownBy(() -> ReplicaCalculator.forUtilization(1, 50, "cpu", List.of(unready("a")),
                usage("a", 10), NOW)).hasMessage("did not receive metrics for targeted pods (pods might be unready)");
        assertThatThrownBy(() -> ReplicaCalculator.forUtilization(1, 50, "cpu", List.of(), usage("a", 10), NOW))
                .hasMessage("no pods returned by selector while calculating replica count");
    }

    @Test
    void milliQuantitiesPrintAsUpstream() {
        assertThat(Autoscaler.milliQuantity(250)).isEqualTo(new Quantity("250m"));
        assertThat(Autoscaler.milliQuantity(2000)).isEqualTo(new Quantity("2"));
    }

    private static Pod ready(String name) {
        return pod(name, "True");
    }

    private static Pod unready(String name) {
        // started just now and not ready: within the CPU initialisation period
        return new PodBuilder(pod(name, "False")).editStatus().withStartTime(NOW.minusSeconds(10).toString()).endStatus()
                .build();
    }

    private static Pod pod(String name, String ready) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withNewResources()
                .addToRequests("cpu", new Quantity("100m")).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").withStartTime(LONG_AGO.toString())
                .addNewCondition().withType("Ready").withStatus(ready).withLastTransitionTime(LONG_AGO.toString())
                .endCondition().endStatus().build();
    }

    private static Map<String, ReplicaCalculator.PodUsage> usage(Object... podAndMilli) {
        Map<String, ReplicaCalculator.PodUsage> out = new HashMap<>();
        for (int i = 0; i < podAndMilli.length; i += 2) {
            out.put((String) podAndMilli[i], new ReplicaCalculator.PodUsage(((Integer) podAndMilli[i + 1]).longValue(),
                    NOW, Duration.ofSeconds(15)));
        }
        return out;
    }
}
