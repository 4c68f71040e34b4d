package dev.konductor.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.cri.v1.RuntimeCondition;
import dev.konductor.kubelet.cri.v1.RuntimeStatus;
import dev.konductor.kubelet.cri.v1.StatusResponse;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeConditionsTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(10);

    @Test
    void aFreshNodeSaysHowEachPressureStandsButRecordsNoReadyEvent() {
        NodeConditions.Update u = NodeConditions.update(null, Set.of(), Readiness.READY, T0);

        assertThat(u.conditions()).extracting(NodeCondition::getType)
                .containsExactly("MemoryPressure", "DiskPressure", "PIDPressure", "Ready");
        assertThat(u.conditions()).extracting(NodeCondition::getReason).containsExactly("KubeletHasSufficientMemory",
                "KubeletHasNoDiskPressure", "KubeletHasSufficientPID", "KubeletReady");
        assertThat(condition(u, "Ready").getMessage()).isEqualTo("kubelet is posting ready status");
        assertThat(u.events()).extracting(NodeConditions.Event::reason)
                .containsExactly("NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID");
        assertThat(condition(u, "Ready").getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
    }

    @Test
    void unchangedConditionsKeepTheirTransitionTimeAndRecordNothing() {
        List<NodeCondition> before = NodeConditions.update(null, Set.of(), Readiness.READY, T0).conditions();
        NodeConditions.Update u = NodeConditions.update(before, Set.of(), Readiness.READY, T1);

        assertThat(u.events()).isEmpty();
        assertThat(u.conditions()).allSatisfy(c -> {
            assertThat(c.getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
            assertThat(c.getLastHeartbeatTime()).isEqualTo("2025-01-01T00:00:10Z");
        });
    }

    @Test
    void readyFlipsWithUpstreamsReasonMessageAndEvents() {
        List<NodeCondition> ready = NodeConditions.update(null, Set.of(), Readiness.READY, T0).conditions();
        NodeConditions.Update down = NodeConditions.update(ready, Set.of(),
                Readiness.notReady(RuntimeReadiness.RUNTIME_DOWN), T1);

        NodeCondition notReady = condition(down, "Ready");
        assertThat(notReady.getStatus()).isEqualTo("False");
        assertThat(notReady.getReason()).isEqualTo("KubeletNotReady");
        assertThat(notReady.getMessage()).isEqualTo("container runtime is down");
        assertThat(notReady.getLastTransitionTime()).isEqualTo("2025-01-01T00:00:10Z");
        assertThat(down.events()).extracting(NodeConditions.Event::reason).containsExactly("NodeNotReady");

        NodeConditions.Update back = NodeConditions.update(down.conditions(), Set.of(), Readiness.READY, T1.plusSeconds(5));
        assertThat(condition(back, "Ready").getStatus()).isEqualTo("True");
        assertThat(back.events()).extracting(NodeConditions.Event::reason).containsExactly("NodeReady");
    }

    @Test
    void readyAfterTheControllerMarkedTheNodeUnknownIsANodeReadyEvent() {
        List<NodeCondition> unknown = NodeConditions.update(null, Set.of(), Readiness.READY, T0).conditions().stream()
                .map(c -> new io.fabric8.kubernetes.api.model.NodeConditionBuilder(c).withStatus("Unknown")
                        .withReason("NodeStatusUnknown").build()).toList();
        NodeConditions.Update u = NodeConditions.update(unknown, Set.of(), Readiness.READY, T1);
        assertThat(u.events()).extracting(NodeConditions.Event::reason).containsExactly("NodeHasSufficientMemory",
                "NodeHasNoDiskPressure", "NodeHasSufficientPID", "NodeReady");
    }

    @Test
    void pressureTurnsItsConditionTrueWithUpstreamsWords() {
        List<NodeCondition> before = NodeConditions.update(null, Set.of(), Readiness.READY, T0).conditions();
        NodeConditions.Update u = NodeConditions.update(before, Set.of(Pressure.MEMORY, Pressure.DISK, Pressure.PID),
                Readiness.READY, T1);

        assertThat(condition(u, "MemoryPressure").getStatus()).isEqualTo("True");
        assertThat(condition(u, "MemoryPressure").getReason()).isEqualTo("KubeletHasInsufficientMemory");
        assertThat(condition(u, "MemoryPressure").getMessage()).isEqualTo("kubelet has insufficient memory available");
        assertThat(condition(u, "DiskPressure").getReason()).isEqualTo("KubeletHasDiskPressure");
        assertThat(condition(u, "DiskPressure").getMessage()).isEqualTo("kubelet has disk pressure");
        assertThat(condition(u, "PIDPressure").getReason()).isEqualTo("KubeletHasInsufficientPID");
        assertThat(condition(u, "PIDPressure").getMessage()).isEqualTo("kubelet has insufficient PID available");
        assertThat(u.events()).extracting(NodeConditions.Event::reason).containsExactly("NodeHasInsufficientMemory",
                "NodeHasDiskPressure", "NodeHasInsufficientPID");
    }

    @Test
    void severalReasonsNotToBeReadyReadAsGosAggregateError() {
        Readiness both = Readiness.notReady(RuntimeReadiness.RUNTIME_DOWN)
                .and(Readiness.notReady("PLEG is not healthy: pleg was last seen active 3m0.5s ago; threshold is 3m0s"));
        assertThat(both.message()).isEqualTo("[container runtime is down, PLEG is not healthy: pleg was last seen"
                + " active 3m0.5s ago; threshold is 3m0s]");
        assertThat(Readiness.READY.and(Readiness.READY).ready()).isTrue();
    }

    @Test
    void theRuntimesOwnConditionsSayWhyItIsNotReady() {
        StatusResponse networkDown = StatusResponse.newBuilder().setStatus(RuntimeStatus.newBuilder()
                .addConditions(RuntimeCondition.newBuilder().setType("RuntimeReady").setStatus(true))
                .addConditions(RuntimeCondition.newBuilder().setType("NetworkReady").setStatus(false)
                        .setReason("NetworkPluginNotReady").setMessage("Network plugin returns error: cni plugin not initialized")))
                .build();
        assertThat(RuntimeReadiness.of(networkDown).message()).isEqualTo("container runtime network not ready:"
                + " NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized");

        StatusResponse allGood = StatusResponse.newBuilder().setStatus(RuntimeStatus.newBuilder()
                .addConditions(RuntimeCondition.newBuilder().setType("RuntimeReady").setStatus(true))
                .addConditions(RuntimeCondition.newBuilder().setType("NetworkReady").setStatus(true))).build();
        assertThat(RuntimeReadiness.of(allGood).ready()).isTrue();
    }

    private static NodeCondition condition(NodeConditions.Update u, String type) {
        return u.conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }
}
