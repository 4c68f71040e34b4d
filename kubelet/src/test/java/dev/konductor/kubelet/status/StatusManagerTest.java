package dev.konductor.kubelet.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import org.junit.jupiter.api.Test;

class StatusManagerTest {

    private static PodStatus running(String ready) {
        return new PodStatusBuilder().withPhase("Running")
                .addNewCondition().withType("Initialized").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus(ready).endCondition()
                .addNewCondition().withType("ContainersReady").withStatus(ready).endCondition()
                .build();
    }

    @Test
    void aPodMarkedNotReadyBySomeoneElseNoLongerShowsWhatTheKubeletWrote() {
        PodStatus ours = running("True");
        PodStatus markedByController = new PodStatusBuilder(running("True"))
                .editMatchingCondition(c -> c.getType().equals("Ready")).withStatus("False").endCondition().build();
        assertThat(StatusManager.shows(markedByController, ours)).isFalse();
    }

    @Test
    void fieldsOthersOwnDoNotCount() {
        PodStatus ours = running("True");
        PodStatus api = new PodStatusBuilder(running("True")).withNominatedNodeName("n1")
                .addNewCondition().withType("PodScheduled").withStatus("True").endCondition().build();
        assertThat(StatusManager.shows(api, ours)).isTrue();
        assertThat(StatusManager.shows(new PodStatusBuilder(api).withPhase("Pending").build(), ours)).isFalse();
        assertThat(StatusManager.shows(null, ours)).isFalse();
    }
}
