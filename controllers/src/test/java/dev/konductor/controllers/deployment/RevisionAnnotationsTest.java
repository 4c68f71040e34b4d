package dev.konductor.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import org.junit.jupiter.api.Test;

class RevisionAnnotationsTest {

    private static Deployment deployment() {
        return new DeploymentBuilder(FencepostsTest.rolling(3, new IntOrString("25%"), new IntOrString("25%")))
                .editMetadata().addToAnnotations("kubernetes.io/change-cause", "set image")
                .addToAnnotations(RevisionAnnotations.LAST_APPLIED, "{}")
                .addToAnnotations(RevisionAnnotations.REVISION, "7").endMetadata().build();
    }

    @Test
    void aNewReplicaSetGetsTheRevisionReplicaCountsAndTheDeploymentsOwnAnnotations() {
        ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("web-1").endMetadata().build();
        assertThat(RevisionAnnotations.syncNewReplicaSet(deployment(), rs, 4, false)).isTrue();
        assertThat(rs.getMetadata().getAnnotations())
                .containsEntry(RevisionAnnotations.REVISION, "4")
                .containsEntry(RevisionAnnotations.DESIRED_REPLICAS, "3")
                .containsEntry(RevisionAnnotations.MAX_REPLICAS, "4")
                .containsEntry("kubernetes.io/change-cause", "set image")
                .doesNotContainKey(RevisionAnnotations.LAST_APPLIED)
                .doesNotContainKey(RevisionAnnotations.REVISION_HISTORY);
    }

    @Test
    void aReusedReplicaSetKeepsItsOldRevisionsInHistory() {
        ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("web-1")
                .addToAnnotations(RevisionAnnotations.REVISION, "3")
                .addToAnnotations(RevisionAnnotations.REVISION_HISTORY, "1").endMetadata().build();
        RevisionAnnotations.syncNewReplicaSet(deployment(), rs, 5, true);
        assertThat(rs.getMetadata().getAnnotations())
                .containsEntry(RevisionAnnotations.REVISION, "5")
                .containsEntry(RevisionAnnotations.REVISION_HISTORY, "1,3")
                .doesNotContainKey(RevisionAnnotations.DESIRED_REPLICAS);
    }

    @Test
    void aHigherRevisionIsNeverLowered() {
        ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("web-1")
                .addToAnnotations(RevisionAnnotations.REVISION, "9")
                .addToAnnotations("kubernetes.io/change-cause", "set image").endMetadata().build();
        assertThat(RevisionAnnotations.syncNewReplicaSet(deployment(), rs, 5, true)).isFalse();
        assertThat(rs.getMetadata().getAnnotations()).containsEntry(RevisionAnnotations.REVISION, "9");
    }
}
