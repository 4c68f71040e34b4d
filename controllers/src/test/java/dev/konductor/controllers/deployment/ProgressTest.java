package dev.konductor.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:10:00Z");

    private static Deployment deployment(DeploymentStatus status) {
        return new DeploymentBuilder(FencepostsTest.rolling(3, new IntOrString("25%"), new IntOrString("25%")))
                .editMetadata().withGeneration(2L).endMetadata()
                .editSpec().withProgressDeadlineSeconds(600).endSpec().withStatus(status).build();
    }

    @Test
    void countsComeFromTheReplicaSets() {
        ReplicaSet old = ReplicaSetListsTest.rs("old", 1, 1, "2025-01-01T00:00:00Z", null);
        ReplicaSet fresh = ReplicaSetListsTest.rs("new", 3, 2, "2025-01-01T00:01:00Z", null);
        DeploymentStatus status = Progress.calculate(deployment(new DeploymentStatus()), List.of(old, fresh), fresh, NOW);
        assertThat(status.getObservedGeneration()).isEqualTo(2);
        assertThat(status.getReplicas()).isEqualTo(4);
        assertThat(status.getUpdatedReplicas()).isEqualTo(3);
        assertThat(status.getAvailableReplicas()).isEqualTo(3);
        assertThat(status.getUnavailableReplicas()).isEqualTo(1);
        assertThat(DeploymentConditions.get(status, "Available").orElseThrow().getReason())
                .isEqualTo("MinimumReplicasAvailable");
    }

    @Test
    void aRolloutWithoutProgressPastItsDeadlineTimesOut() {
        DeploymentStatus before = new DeploymentStatusBuilder().withReplicas(3).withUpdatedReplicas(1)
                .withObservedGeneration(2L).addToConditions(DeploymentConditions.create("Progressing", "True",
                        "ReplicaSetUpdated", "ReplicaSet \"web-1\" is progressing.", NOW.minusSeconds(601)))
                .build();
        Deployment d = deployment(before);
        ReplicaSet old = ReplicaSetListsTest.rs("old", 2, 0, "2025-01-01T00:00:00Z", null);
        ReplicaSet fresh = ReplicaSetListsTest.rs("web-1", 1, 0, "2025-01-01T00:01:00Z", null);
        DeploymentStatus after = Progress.rollout(d, List.of(old, fresh), fresh, NOW);
        assertThat(DeploymentConditions.get(after, "Progressing").orElseThrow()).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded");
            assertThat(c.getMessage()).isEqualTo("ReplicaSet \"web-1\" has timed out progressing.");
        });
    }

    @Test
    void progressMovesLastUpdateTimeButKeepsTheTransitionTime() {
        String transition = NOW.minusSeconds(300).toString();
        DeploymentStatus before = new DeploymentStatusBuilder().withReplicas(3).withUpdatedReplicas(1)
                .addToConditions(new io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder()
                        .withType("Progressing").withStatus("True").withReason("NewReplicaSetCreated")
                        .withLastTransitionTime(transition).withLastUpdateTime(transition).build()).build();
        ReplicaSet fresh = ReplicaSetListsTest.rs("web-1", 2, 0, "2025-01-01T00:01:00Z", null);
        ReplicaSet old = ReplicaSetListsTest.rs("old", 1, 1, "2025-01-01T00:00:00Z", null);
        DeploymentStatus after = Progress.rollout(deployment(before), List.of(old, fresh), fresh, NOW);
        assertThat(DeploymentConditions.get(after, "Progressing").orElseThrow()).satisfies(c -> {
            assertThat(c.getReason()).isEqualTo("ReplicaSetUpdated");
            assertThat(c.getLastTransitionTime()).isEqualTo(transition);
            assertThat(c.getLastUpdateTime()).isEqualTo(NOW.toString());
        });
        assertThat(Progress.recheckAfter(deployment(before), after, NOW)).contains(Duration.ofSeconds(301));
    }

    @Test
    void pausingAndResumingSetProgressingUnknown() {
        Deployment d = deployment(new DeploymentStatus());
        d.getSpec().setPaused(true);
        assertThat(Progress.syncPausedCondition(d, NOW)).isTrue();
        assertThat(DeploymentConditions.get(d.getStatus(), "Progressing").orElseThrow().getReason())
                .isEqualTo("DeploymentPaused");
        assertThat(Progress.syncPausedCondition(d, NOW)).isFalse();
        d.getSpec().setPaused(false);
        assertThat(Progress.syncPausedCondition(d, NOW)).isTrue();
        assertThat(DeploymentConditions.get(d.getStatus(), "Progressing").orElseThrow()).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("Unknown");
            assertThat(c.getReason()).isEqualTo("DeploymentResumed");
            assertThat(c.getMessage()).isEqualTo("Deployment is resumed");
        });
    }
}
