package dev.konductor.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BudgetStatusTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    static PodDisruptionBudget pdb(IntOrString minAvailable, IntOrString maxUnavailable) {
        return new PodDisruptionBudgetBuilder().withNewMetadata().withName("web").withNamespace("default")
                .withGeneration(3L).endMetadata()
                .withNewSpec().withMinAvailable(minAvailable).withMaxUnavailable(maxUnavailable)
                .withNewSelector().addToMatchLabels("app", "web").endSelector().endSpec().build();
    }

    static Pod pod(String name, boolean ready, String ownerUid) {
        PodBuilder builder = new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .addToLabels("app", "web").endMetadata()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").endCondition().endStatus();
        if (ownerUid != null) {
            builder.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
                    .withName("rs-" + ownerUid).withUid(ownerUid).withController(true).endOwnerReference().endMetadata();
        }
        return builder.build();
    }

    private static List<Pod> pods(int ready, int notReady) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < ready + notReady; i++) {
            pods.add(pod("p" + i, i < ready, "rs1"));
        }
        return pods;
    }

    private static final ExpectedPods.ScaleFinder FIVE_REPLICAS =
            (ns, ref) -> Optional.of(new ExpectedPods.ControllerScale(ref.getUid(), 5));

    private static IntOrString parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value));
    }

    @ParameterizedTest(name = "minAvailable={0} maxUnavailable={1}, {2} ready of 4 pods (scale 5)")
    @CsvSource({
            // min, max, ready, expected, desired, allowed
            "2,   ,   4, 4, 2, 2",
            "4,   ,   3, 4, 4, 0",
            "50%, ,   4, 5, 3, 1",
            "   , 1,  4, 5, 4, 0",
            "   , 1,  3, 5, 4, 0",
            "   , 40%, 4, 5, 3, 1",
            "   , 0,  4, 5, 5, 0",
    })
    void countsFollowUpstreamRounding(String min, String max, int ready, int expected, int desired, int allowed)
            throws Exception {
        PodDisruptionBudget pdb = pdb(parse(min), parse(max));
        List<Pod> pods = pods(ready, 4 - ready);

        ExpectedPods expectedPods = ExpectedPods.of(pdb, pods, FIVE_REPLICAS);
        PodDisruptionBudgetStatus status = BudgetStatus.of(pdb, pods, expectedPods, NOW).status();

        assertThat(status.getExpectedPods()).isEqualTo(expected);
        assertThat(status.getDesiredHealthy()).isEqualTo(desired);
        assertThat(status.getCurrentHealthy()).isEqualTo(ready);
        assertThat(status.getDisruptionsAllowed()).isEqualTo(allowed);
        assertThat(status.getObservedGeneration()).isEqualTo(3L);
        assertThat(status.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("DisruptionAllowed");
            assertThat(c.getStatus()).isEqualTo(allowed > 0 ? "True" : "False");
            assertThat(c.getReason()).isEqualTo(allowed > 0 ? "SufficientPods" : "InsufficientPods");
        });
    }

    @Test
    void aDeploymentIsCountedOnceAcrossItsReplicaSetsAndUnmanagedPodsAreNoted() throws Exception {
        List<Pod> pods = List.of(pod("a", true, "rs1"), pod("b", true, "rs2"), pod("c", true, null));
        ExpectedPods.ScaleFinder deployment = (ns, ref) -> Optional.of(new ExpectedPods.ControllerScale("dep", 3));

        ExpectedPods expected = ExpectedPods.of(pdb(null, new IntOrString(1)), pods, deployment);

        assertThat(expected.expectedCount()).isEqualTo(3);
        assertThat(expected.desiredHealthy()).isEqualTo(2);
        assertThat(expected.unmanagedPods()).containsExactly("c");
    }

    @Test
    void aPodWhoseControllerIsMissingMakesTheCountFail() {
        ExpectedPods.ScaleFinder none = (String ns, OwnerReference ref) -> Optional.empty();

        assertThatThrownBy(() -> ExpectedPods.of(pdb(new IntOrString("50%"), null), pods(1, 0), none))
                .hasMessage("found no controllers for pod \"p0\"");
        PodDisruptionBudgetStatus failSafe = BudgetStatus.failSafe(pdb(null, null), "boom", NOW);
        assertThat(failSafe.getDisruptionsAllowed()).isZero();
        assertThat(failSafe.getConditions().getFirst().getReason()).isEqualTo("SyncFailed");
        assertThat(failSafe.getConditions().getFirst().getMessage()).isEqualTo("boom");
    }

    @Test
    void recentlyEvictedPodsDoNotCountUntilGoneOrTimedOut() throws Exception {
        PodDisruptionBudget pdb = new PodDisruptionBudgetBuilder(pdb(new IntOrString(1), null)).withNewStatus()
                .withDisruptedPods(Map.of("p0", NOW.minusSeconds(30).toString(), "p1", NOW.minusSeconds(600).toString(),
                        "gone", NOW.minusSeconds(5).toString()))
                .endStatus().build();
        List<Pod> pods = pods(3, 0);

        BudgetStatus status = BudgetStatus.of(pdb, pods, ExpectedPods.of(pdb, pods, FIVE_REPLICAS), NOW);

        assertThat(status.status().getDisruptedPods()).containsOnlyKeys("p0");
        assertThat(status.status().getCurrentHealthy()).isEqualTo(2);
        assertThat(status.recheck()).contains(NOW.minusSeconds(30).plus(BudgetStatus.DELETION_TIMEOUT));
    }

    @Test
    void theConditionKeepsItsTransitionTimeWhileItsStatusHolds() throws Exception {
        PodDisruptionBudget pdb = pdb(new IntOrString(1), null);
        List<Pod> pods = pods(3, 0);
        PodDisruptionBudgetStatus first = BudgetStatus.of(pdb, pods, ExpectedPods.of(pdb, pods, FIVE_REPLICAS), NOW)
                .status();
        PodDisruptionBudget written = new PodDisruptionBudgetBuilder(pdb).withStatus(first).build();

        PodDisruptionBudgetStatus later = BudgetStatus.of(written, pods(2, 1),
                ExpectedPods.of(pdb, pods(2, 1), FIVE_REPLICAS), NOW.plusSeconds(60)).status();

        assertThat(later.getConditions().getFirst().getLastTransitionTime())
                .isEqualTo(first.getConditions().getFirst().getLastTransitionTime());
        assertThat(BudgetStatus.same(first, later)).isFalse();
        assertThat(BudgetStatus.same(first, first)).isTrue();
    }
}
