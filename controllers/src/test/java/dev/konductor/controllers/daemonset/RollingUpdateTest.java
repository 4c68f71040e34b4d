package dev.konductor.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.history.Revisions;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RollingUpdateTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:10:00Z");
    private static final String NEW = "newhash";

    @Test
    void withoutSurgeDeletesUpToMaxUnavailableOldPods() {
        DaemonSet ds = ds(new IntOrString(2), new IntOrString(0));
        Map<String, List<Pod>> pods = new TreeMap<>();
        for (String node : List.of("a", "b", "c", "d")) {
            pods.put(node, List.of(pod(node, "old", true)));
        }
        RollingUpdate.Step step = RollingUpdate.plan(ds, allRun("a", "b", "c", "d"), pods, NEW, NOW);
        assertThat(step.podsToDelete()).extracting(p -> p.getSpec().getNodeName()).containsExactly("a", "b");
        assertThat(step.nodesToCreate()).isEmpty();
    }

    @Test
    void withoutSurgeAnUnavailableNewPodUsesTheBudgetButBrokenOldPodsGoAnyway() {
        DaemonSet ds = ds(new IntOrString(1), new IntOrString(0));
        Map<String, List<Pod>> pods = new TreeMap<>(Map.of(
                "a", List.of(pod("a", NEW, false)),
                "b", List.of(pod("b", "old", false)),
                "c", List.of(pod("c", "old", true))));
        RollingUpdate.Step step = RollingUpdate.plan(ds, allRun("a", "b", "c"), pods, NEW, NOW);
        assertThat(step.podsToDelete()).extracting(p -> p.getSpec().getNodeName()).containsExactly("b");
    }

    @Test
    void percentagesRoundUp() {
        DaemonSet ds = ds(new IntOrString("10%"), new IntOrString(0));
        assertThat(RollingUpdate.Budget.of(ds, 3)).isEqualTo(new RollingUpdate.Budget(0, 1));
        assertThat(RollingUpdate.Budget.of(ds(new IntOrString(0), new IntOrString("25%")), 10))
                .isEqualTo(new RollingUpdate.Budget(3, 0));
    }

    @Test
    void withSurgeStartsNewPodsThenRemovesOldOnesOnceAvailable() {
        DaemonSet ds = ds(new IntOrString(0), new IntOrString(1));
        Map<String, List<Pod>> pods = new TreeMap<>(Map.of(
                "a", List.of(pod("a", "old", true)),
                "b", List.of(pod("b", "old", true))));
        RollingUpdate.Step first = RollingUpdate.plan(ds, allRun("a", "b"), pods, NEW, NOW);
        assertThat(first.nodesToCreate()).containsExactly("a");
        assertThat(first.podsToDelete()).isEmpty();

        pods.put("a", List.of(pod("a", "old", true), pod("a", NEW, false)));
        assertThat(RollingUpdate.plan(ds, allRun("a", "b"), pods, NEW, NOW).isEmpty()).isTrue();

        pods.put("a", List.of(pod("a", "old", true), pod("a", NEW, true)));
        RollingUpdate.Step third = RollingUpdate.plan(ds, allRun("a", "b"), pods, NEW, NOW);
        assertThat(third.podsToDelete()).extracting(p -> p.getMetadata().getLabels().get(Revisions.POD_REVISION_LABEL))
                .containsExactly("old");
        assertThat(third.nodesToCreate()).containsExactly("b");
    }

    @Test
    void minReadySecondsDelaysAvailability() {
        DaemonSet ds = new DaemonSetBuilder(ds(new IntOrString(1), new IntOrString(0))).editSpec()
                .withMinReadySeconds(3600).endSpec().build();
        Pod justReady = pod("a", NEW, true);
        assertThat(DaemonPods.available(justReady, 0, NOW)).isTrue();
        assertThat(DaemonPods.available(justReady, 3600, NOW)).isFalse();
        assertThat(DaemonPods.availableAt(justReady, 3600, NOW)).contains(NOW.minusSeconds(60).plusSeconds(3600));
        assertThat(DaemonSetPlan.minReadySeconds(ds)).isEqualTo(3600);
    }

    private static Map<String, NodeEligibility.Verdict> allRun(String... nodes) {
        Map<String, NodeEligibility.Verdict> verdicts = new TreeMap<>();
        for (String node : nodes) {
            verdicts.put(node, NodeEligibility.Verdict.RUN);
        }
        return verdicts;
    }

    private static DaemonSet ds(IntOrString maxUnavailable, IntOrString maxSurge) {
        return new DaemonSetBuilder().withNewMetadata().withName("ds").endMetadata().withNewSpec()
                .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(maxUnavailable).withMaxSurge(maxSurge).endRollingUpdate().endUpdateStrategy()
                .withNewTemplate().withNewSpec().addNewContainer().withName("c").withImage("i").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    private static Pod pod(String node, String hash, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(node + "-" + hash)
                .withCreationTimestamp(NOW.minusSeconds(120).toString())
                .addToLabels(Revisions.POD_REVISION_LABEL, hash).endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").withLastTransitionTime(NOW.minusSeconds(60).toString())
                .endCondition().endStatus().build();
    }
}
