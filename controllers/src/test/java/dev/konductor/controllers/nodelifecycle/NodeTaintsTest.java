package dev.konductor.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeTaintsTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    @Test
    void conditionsAndUnschedulableMapToNoScheduleTaints() {
        Node node = new NodeBuilder(NodeHealthTest.node("n1", "False", NOW)).editSpec().withUnschedulable(true).endSpec()
                .editStatus().addNewCondition().withType("DiskPressure").withStatus("True").endCondition().endStatus()
                .build();

        assertThat(NodeTaints.wantedNoSchedule(node)).containsExactlyInAnyOrder(NodeTaints.NOT_READY,
                NodeTaints.DISK_PRESSURE, NodeTaints.UNSCHEDULABLE);
    }

    @Test
    void onlyTheControllersOwnTaintsAreTouched() {
        Taint users = new TaintBuilder().withKey("dedicated").withValue("gpu").withEffect("NoSchedule").build();
        Taint stale = new TaintBuilder().withKey(NodeTaints.UNREACHABLE).withEffect("NoSchedule").build();

        List<Taint> result = NodeTaints.withNoSchedule(List.of(users, stale), Set.of(NodeTaints.UNSCHEDULABLE), NOW);

        assertThat(result).extracting(Taint::getKey).containsExactly("dedicated", NodeTaints.UNSCHEDULABLE);
        assertThat(result.get(1).getTimeAdded()).isEqualTo("2025-01-01T12:00:00Z");
    }

    @Test
    void noExecuteTaintsSwapBetweenNotReadyAndUnreachable() {
        List<Taint> notReady = NodeTaints.withNoExecute(List.of(), NodeTaints.NOT_READY, NOW);
        List<Taint> unreachable = NodeTaints.withNoExecute(notReady, NodeTaints.UNREACHABLE, NOW);

        assertThat(unreachable).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo(NodeTaints.UNREACHABLE);
            assertThat(t.getEffect()).isEqualTo("NoExecute");
        });
        assertThat(NodeTaints.withNoExecute(unreachable, null, NOW)).isEmpty();
    }
}
