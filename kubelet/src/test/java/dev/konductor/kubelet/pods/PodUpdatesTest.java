package dev.konductor.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** Which pod updates wake a pod's worker: what the user changed, never the kubelet's own status writes. */
class PodUpdatesTest {

    private static final Pod POD = new PodBuilder()
            .withNewMetadata().withName("web").withNamespace("default").withUid("u").withResourceVersion("1")
            .addToLabels("app", "web").endMetadata()
            .withNewSpec().withNodeName("n1").addNewContainer().withName("web").withImage("busybox").endContainer().endSpec()
            .withNewStatus().withPhase("Pending").endStatus()
            .build();

    @Test
    void aNewPodIsWork() {
        assertThat(PodUpdates.differSemantically(null, POD)).isTrue();
    }

    @Test
    void aStatusWriteIsNotWork() {
        Pod statusWritten = new PodBuilder(POD).editMetadata().withResourceVersion("2").endMetadata()
                .editStatus().withPhase("Running").withPodIP("10.244.220.5").endStatus().build();

        assertThat(PodUpdates.differSemantically(POD, statusWritten)).isFalse();
    }

    @Test
    void specLabelsAnnotationsAndDeletionAreWork() {
        assertThat(PodUpdates.differSemantically(POD, new PodBuilder(POD).editSpec().editFirstContainer().withImage("busybox:1")
                .endContainer().endSpec().build())).isTrue();
        assertThat(PodUpdates.differSemantically(POD, new PodBuilder(POD).editMetadata().addToLabels("tier", "front")
                .endMetadata().build())).isTrue();
        assertThat(PodUpdates.differSemantically(POD, new PodBuilder(POD).editMetadata().addToAnnotations("build", "42")
                .endMetadata().build())).isTrue();
        assertThat(PodUpdates.differSemantically(POD, new PodBuilder(POD).editMetadata()
                .withDeletionTimestamp("2025-01-01T00:00:30Z").withDeletionGracePeriodSeconds(30L).endMetadata().build())).isTrue();
    }
}
