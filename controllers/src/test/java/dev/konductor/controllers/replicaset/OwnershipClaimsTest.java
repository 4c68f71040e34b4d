package dev.konductor.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.replicaset.OwnershipClaims.Decision;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import org.junit.jupiter.api.Test;

class OwnershipClaimsTest {

    private static final ReplicaSet OWNER = new ReplicaSetBuilder().withNewMetadata().withName("web").withUid("u1")
            .endMetadata().build();
    private static final io.fabric8.kubernetes.api.model.LabelSelector SELECTOR = new LabelSelectorBuilder()
            .addToMatchLabels("app", "web").build();

    private static Pod pod(String app, String controllerUid) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("p").addToLabels("app", app).endMetadata();
        if (controllerUid != null) {
            b.editMetadata().addNewOwnerReference().withUid(controllerUid).withController(true).withKind("ReplicaSet")
                    .withName("x").endOwnerReference().endMetadata();
        }
        return b.build();
    }

    @Test
    void decisions() {
        assertThat(OwnershipClaims.decide(OWNER, SELECTOR, pod("web", "u1"))).isEqualTo(Decision.KEEP);
        assertThat(OwnershipClaims.decide(OWNER, SELECTOR, pod("db", "u1"))).isEqualTo(Decision.RELEASE);
        assertThat(OwnershipClaims.decide(OWNER, SELECTOR, pod("web", null))).isEqualTo(Decision.ADOPT);
        assertThat(OwnershipClaims.decide(OWNER, SELECTOR, pod("db", null))).isEqualTo(Decision.IGNORE);
        assertThat(OwnershipClaims.decide(OWNER, SELECTOR, pod("web", "u2"))).isEqualTo(Decision.IGNORE);
    }

    @Test
    void anOwnerBeingDeletedNeitherAdoptsNorReleases() {
        ReplicaSet deleting = new ReplicaSetBuilder(OWNER).editMetadata().withDeletionTimestamp("2025-01-01T00:00:00Z")
                .endMetadata().build();
        assertThat(OwnershipClaims.decide(deleting, SELECTOR, pod("web", null))).isEqualTo(Decision.IGNORE);
        assertThat(OwnershipClaims.decide(deleting, SELECTOR, pod("db", "u1"))).isEqualTo(Decision.IGNORE);
        assertThat(OwnershipClaims.decide(deleting, SELECTOR, pod("web", "u1"))).isEqualTo(Decision.KEEP);
    }
}
