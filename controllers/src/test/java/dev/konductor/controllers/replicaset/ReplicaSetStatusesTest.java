package dev.konductor.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaSetStatusesTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    private static ReplicaSet rs(int minReadySeconds) {
        return new ReplicaSetBuilder().withNewMetadata().withName("web").withGeneration(4L).endMetadata()
                .withNewSpec().withReplicas(3).withMinReadySeconds(minReadySeconds)
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").addToLabels("tier", "front").endMetadata()
                .endTemplate().endSpec().build();
    }

    private static Pod pod(String name, boolean fullyLabeled, Instant readySince) {
        var b = PodDeletionOrderTest.pod(name).editMetadata().addToLabels("app", "web").endMetadata();
        if (fullyLabeled) {
            b.editMetadata().addToLabels("tier", "front").endMetadata();
        }
        return readySince == null ? b.build() : PodDeletionOrderTest.ready(b, readySince).build();
    }

    @Test
    void countsLabeledReadyAndAvailablePods() {
        List<Pod> pods = List.of(pod("a", true, NOW.minusSeconds(60)), pod("b", true, NOW.minusSeconds(5)),
                pod("c", false, null));
        ReplicaSetStatus status = ReplicaSetStatuses.calculate(rs(10), pods, null, false, NOW);
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(status.getFullyLabeledReplicas()).isEqualTo(2);
        assertThat(status.getReadyReplicas()).isEqualTo(2);
        assertThat(status.getAvailableReplicas()).isEqualTo(1);
        assertThat(status.getObservedGeneration()).isEqualTo(4);
        assertThat(status.getConditions()).isNull();
    }

    @Test
    void aFailedCreateSetsReplicaFailureUntilItSucceeds() {
        ReplicaSet rs = rs(0);
        ReplicaSetStatus failing = ReplicaSetStatuses.calculate(rs, List.of(), "pods \"web-x\" is forbidden: exceeded quota",
                true, NOW);
        assertThat(failing.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("ReplicaFailure");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("FailedCreate");
            assertThat(c.getMessage()).contains("exceeded quota");
        });
        rs.setStatus(failing);
        assertThat(ReplicaSetStatuses.calculate(rs, List.of(), null, true, NOW).getConditions()).isNull();
    }
}
