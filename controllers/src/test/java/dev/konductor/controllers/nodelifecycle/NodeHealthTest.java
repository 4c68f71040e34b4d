package dev.konductor.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class NodeHealthTest {

    private static final Instant T0 = Instant.parse("2025-01-01T12:00:00Z");
    private final NodeHealth health = new NodeHealth(Duration.ofSeconds(40), Duration.ofSeconds(60));

    static Node node(String name, String ready, Instant heartbeat) {
        NodeBuilder builder = new NodeBuilder().withNewMetadata().withName(name).withUid("uid-" + name)
                .withCreationTimestamp(T0.minusSeconds(3600).toString()).endMetadata().withNewSpec().endSpec();
        if (ready != null) {
            builder.withNewStatus()
                    .addNewCondition().withType("MemoryPressure").withStatus("False").withReason("KubeletHasSufficientMemory")
                    .withLastHeartbeatTime(heartbeat.toString()).withLastTransitionTime(T0.minusSeconds(3600).toString())
                    .endCondition()
                    .addNewCondition().withType("Ready").withStatus(ready).withReason("KubeletReady")
                    .withLastHeartbeatTime(heartbeat.toString()).withLastTransitionTime(T0.minusSeconds(3600).toString())
                    .endCondition()
                    .endStatus();
        } else {
            builder.withNewStatus().endStatus();
        }
        return builder.build();
    }

    static Lease lease(String name, Instant renewed) {
        return new LeaseBuilder().withNewMetadata().withName(name).withNamespace("kube-node-lease").endMetadata()
                .withNewSpec().withHolderIdentity(name).withRenewTime(renewed.atZone(ZoneOffset.UTC)).endSpec().build();
    }

    @Test
    void aSilentNodeTurnsUnknownAfterTheGracePeriodOnTheControllersClock() {
        Node node = node("n1", "True", T0.minusSeconds(1000));
        assertThat(health.observe(node, null, T0).statusToWrite()).as("first sight starts the clock").isEmpty();
        assertThat(health.observe(node, null, T0.plusSeconds(40)).statusToWrite()).isEmpty();

        NodeHealth.Observation late = health.observe(node, null, T0.plusSeconds(41));

        assertThat(late.observedReady().getStatus()).isEqualTo("True");
        assertThat(late.currentReady().getStatus()).isEqualTo("Unknown");
        assertThat(late.currentReady().getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(late.currentReady().getMessage()).isEqualTo("Kubelet stopped posting node status.");
        assertThat(late.statusToWrite().orElseThrow().getConditions()).extracting(NodeCondition::getType,
                NodeCondition::getStatus).containsExactly(
                org.assertj.core.groups.Tuple.tuple("MemoryPressure", "Unknown"),
                org.assertj.core.groups.Tuple.tuple("Ready", "Unknown"),
                org.assertj.core.groups.Tuple.tuple("DiskPressure", "Unknown"),
                org.assertj.core.groups.Tuple.tuple("PIDPressure", "Unknown"));
        assertThat(late.statusToWrite().orElseThrow().getConditions().get(2).getReason())
                .isEqualTo("NodeStatusNeverUpdated");
    }

    @Test
    void leaseRenewalsAndNewHeartbeatsKeepTheNodeAlive() {
        Node node = node("n1", "True", T0);
        health.observe(node, lease("n1", T0), T0);
        health.observe(node, lease("n1", T0.plusSeconds(30)), T0.plusSeconds(30));
        assertThat(health.observe(node, lease("n1", T0.plusSeconds(30)), T0.plusSeconds(60)).statusToWrite())
                .as("renewed at 30 s: alive until 70 s").isEmpty();
        assertThat(health.observe(node("n1", "True", T0.plusSeconds(65)), lease("n1", T0.plusSeconds(30)),
                T0.plusSeconds(65)).statusToWrite()).isEmpty();
        assertThat(health.observe(node("n1", "True", T0.plusSeconds(65)), lease("n1", T0.plusSeconds(30)),
                T0.plusSeconds(100)).statusToWrite()).as("heartbeat at 65 s: alive until 105 s").isEmpty();
        assertThat(health.observe(node("n1", "True", T0.plusSeconds(65)), lease("n1", T0.plusSeconds(30)),
                T0.plusSeconds(106)).statusToWrite()).isPresent();
    }

    @Test
    void aNodeThatNeverPostedStatusGetsTheStartupGraceFromItsCreation() {
        Node fresh = new NodeBuilder(node("n1", null, T0)).editMetadata().withCreationTimestamp(T0.toString())
                .endMetadata().build();
        NodeHealth.Observation early = health.observe(fresh, null, T0.plusSeconds(50));
        assertThat(early.currentReady()).as("still starting").isNull();

        NodeHealth.Observation late = health.observe(fresh, null, T0.plusSeconds(61));
        assertThat(late.currentReady().getReason()).isEqualTo("NodeStatusNeverUpdated");
        assertThat(late.currentReady().getMessage()).isEqualTo("Kubelet never posted node status.");
    }

    @Test
    void anAlreadyUnknownNodeIsNotRewritten() {
        Node node = node("n1", "True", T0);
        health.observe(node, null, T0);
        NodeHealth.Observation late = health.observe(node, null, T0.plusSeconds(41));
        health.written("n1", late);
        Node written = new NodeBuilder(node).withStatus(late.statusToWrite().orElseThrow()).build();

        NodeHealth.Observation again = health.observe(written, null, T0.plusSeconds(50));

        assertThat(again.statusToWrite()).isEmpty();
        assertThat(again.observedReady().getStatus()).isEqualTo("Unknown");
    }
}
