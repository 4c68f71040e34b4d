package dev.konductor.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodDeletionOrderTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withUid(name)
                .withCreationTimestamp(NOW.minusSeconds(3600).toString()).endMetadata()
                .withNewSpec().withNodeName("n1").endSpec()
                .withNewStatus().withPhase("Running").endStatus();
    }

    static PodBuilder ready(PodBuilder b, Instant since) {
        return b.editStatus().addNewCondition().withType("Ready").withStatus("True")
                .withLastTransitionTime(since.toString()).endCondition().endStatus();
    }

    private static List<String> order(Map<String, Integer> podsOnNode, Pod... pods) {
        return List.of(pods).stream().sorted(new PodDeletionOrder(podsOnNode, NOW)).map(p -> p.getMetadata().getName())
                .toList();
    }

    @Test
    void unassignedThenPendingThenNotReadyGoFirst() {
        Pod readyRunning = ready(pod("ready"), NOW.minusSeconds(600)).build();
        Pod notReady = pod("not-ready").build();
        Pod unknown = pod("unknown").editStatus().withPhase("Unknown").endStatus().build();
        Pod pending = pod("pending").editStatus().withPhase("Pending").endStatus().build();
        Pod unassigned = pod("unassigned").editSpec().withNodeName(null).endSpec().build();
        assertThat(order(Map.of(), readyRunning, notReady, unknown, pending, unassigned))
                .containsExactly("unassigned", "pending", "unknown", "not-ready", "ready");
    }

    @Test
    void lowerDeletionCostThenCrowdedNodesGoFirst() {
        Pod cheap = pod("cheap").editMetadata().addToAnnotations(PodDeletionOrder.DELETION_COST, "-5").endMetadata()
                .editSpec().withNodeName("n2").endSpec().build();
        Pod crowded = pod("crowded").editSpec().withNodeName("n1").endSpec().build();
        Pod alone = pod("alone").editSpec().withNodeName("n2").endSpec().build();
        assertThat(order(Map.of("n1", 3, "n2", 1), alone, crowded, cheap)).containsExactly("cheap", "crowded", "alone");
    }

    @Test
    void readyForLessTimeThenMoreRestartsThenNewerGoFirst() {
        Pod readyLong = ready(pod("ready-long"), NOW.minusSeconds(7200)).build();
        Pod readyShort = ready(pod("ready-short"), NOW.minusSeconds(10)).build();
        assertThat(order(Map.of(), readyLong, readyShort)).containsExactly("ready-short", "ready-long");

        Pod restarted = pod("restarted").editStatus().addNewContainerStatus().withName("c").withRestartCount(4)
                .endContainerStatus().endStatus().build();
        Pod calm = pod("calm").build();
        assertThat(order(Map.of(), calm, restarted)).containsExactly("restarted", "calm");

        Pod newer = pod("newer").editMetadata().withCreationTimestamp(NOW.minusSeconds(5).toString()).endMetadata().build();
        Pod older = pod("older").editMetadata().withCreationTimestamp(NOW.minusSeconds(86400).toString()).endMetadata()
                .build();
        assertThat(order(Map.of(), older, newer)).containsExactly("newer", "older");
    }

    @Test
    void agesInTheSamePowerOfTwoBucketAreOrderedByUid() {
        // 1200 s and 1300 s old fall in the same log2 bucket of nanoseconds: uid decides
        Pod b = pod("b").editMetadata().withCreationTimestamp(NOW.minusSeconds(1200).toString()).endMetadata().build();
        Pod a = pod("a").editMetadata().withCreationTimestamp(NOW.minusSeconds(1300).toString()).endMetadata().build();
        assertThat(order(Map.of(), b, a)).containsExactly("a", "b");
    }

    @Test
    void firstToDeletePicksTheHead() {
        Pod readyPod = ready(pod("ready"), NOW.minusSeconds(600)).build();
        Pod pending = pod("pending").editStatus().withPhase("Pending").endStatus().build();
        assertThat(new PodDeletionOrder(Map.of(), NOW).firstToDelete(List.of(readyPod, pending), 1))
                .extracting(p -> p.getMetadata().getName()).containsExactly("pending");
    }
}
