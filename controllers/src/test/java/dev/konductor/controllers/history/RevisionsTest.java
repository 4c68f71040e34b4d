package dev.konductor.controllers.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionsTest {

    private static final PodTemplateSpec TEMPLATE = new PodTemplateSpecBuilder().withNewMetadata()
            .addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("nginx")
            .withImage("nginx:1").endContainer().endSpec().build();
    private static final StatefulSet OWNER = new StatefulSetBuilder().withNewMetadata().withName("web")
            .withNamespace("default").withUid("uid-1").addToAnnotations("note", "x").endMetadata().build();

    @Test
    void dataIsATemplateReplacingPatchAndRoundTrips() {
        Map<String, Object> data = Revisions.templatePatch(TEMPLATE);
        assertThat(Revisions.canonicalData(data)).startsWith("{\"spec\":{\"template\":{\"$patch\":\"replace\","
                + "\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{");
        ControllerRevision revision = Revisions.build(OWNER, TEMPLATE, Revisions.HASH_LABEL, 1, 0);
        assertThat(Revisions.template(revision)).isEqualTo(TEMPLATE);
    }

    @Test
    void namedOwnerDashHashLabelledAndOwned() {
        ControllerRevision revision = Revisions.build(OWNER, TEMPLATE, Revisions.HASH_LABEL, 3, 0);
        String hash = Revisions.hash(revision.getData(), 0);
        assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]+");
        assertThat(revision.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(revision.getMetadata().getLabels()).containsEntry("app", "web")
                .containsEntry(Revisions.HASH_LABEL, hash);
        assertThat(revision.getMetadata().getAnnotations()).containsEntry("note", "x");
        assertThat(revision.getMetadata().getOwnerReferences().getFirst().getController()).isTrue();
        assertThat(revision.getRevision()).isEqualTo(3L);
    }

    @Test
    void theHashDependsOnTheTemplateAndTheCollisionCountOnly() {
        PodTemplateSpec other = new PodTemplateSpecBuilder(TEMPLATE).editSpec().editFirstContainer()
                .withImage("nginx:2").endContainer().endSpec().build();
        Map<String, Object> data = Revisions.templatePatch(TEMPLATE);
        assertThat(Revisions.hash(data, 0)).isEqualTo(Revisions.hash(Revisions.templatePatch(TEMPLATE), 0))
                .isNotEqualTo(Revisions.hash(Revisions.templatePatch(other), 0))
                .isNotEqualTo(Revisions.hash(data, 1));
    }

    @Test
    void longOwnerNamesAreCut() {
        assertThat(Revisions.name("x".repeat(300), "abc")).hasSize(Revisions.MAX_PREFIX + 4);
    }
}
