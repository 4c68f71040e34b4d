package dev.konductor.scheduler.plugins;

import static dev.konductor.scheduler.plugins.Fixtures.info;
import static dev.konductor.scheduler.plugins.Fixtures.node;
import static dev.konductor.scheduler.plugins.Fixtures.nodeInfo;
import static dev.konductor.scheduler.plugins.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.LabelMatcher;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Snapshot;
import dev.konductor.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTopologySpreadTest {

    private static Node zoned(String name, String zone) {
        return node(name, "4", "8Gi").editMetadata().addToLabels("topology.kubernetes.io/zone", zone).endMetadata()
                .build();
    }

    private static Pod web(String name) {
        return pod(name).editMetadata().addToLabels("app", "web").endMetadata().build();
    }

    private static PodInfo spreading(String whenUnsatisfiable, int maxSkew) {
        return info(pod("new").editMetadata().addToLabels("app", "web").endMetadata().editSpec()
                .addToTopologySpreadConstraints(new TopologySpreadConstraintBuilder().withMaxSkew(maxSkew)
                        .withTopologyKey("topology.kubernetes.io/zone").withWhenUnsatisfiable(whenUnsatisfiable)
                        .withNewLabelSelector().addToMatchLabels("app", "web").endLabelSelector().build())
                .endSpec());
    }

    private final PodTopologySpread plugin = new PodTopologySpread(PodTopologySpread.SYSTEM_DEFAULTS, true, p -> null);

    private Status filter(PodInfo pod, NodeInfo target, NodeInfo... all) {
        Snapshot snapshot = Snapshot.of(all);
        CycleState state = new CycleState(snapshot);
        Status pre = plugin.preFilter(state, pod, snapshot);
        return pre.isSkip() ? Status.SUCCESS : plugin.filter(state, pod, target);
    }

    @Test
    void maxSkewKeepsZonesEven() {
        NodeInfo a = nodeInfo(zoned("a", "a"), web("w1"), web("w2"));
        NodeInfo b = nodeInfo(zoned("b", "b"), web("w3"));
        PodInfo pod = spreading("DoNotSchedule", 1);
        // a: 2 + 1 - min 1 = 2 > 1
        assertThat(filter(pod, a, a, b).message()).isEqualTo("node(s) didn't match pod topology spread constraints");
        assertThat(filter(pod, b, a, b).isSuccess()).isTrue();
        NodeInfo unlabelled = nodeInfo(node("u"));
        Status missing = filter(pod, unlabelled, a, b, unlabelled);
        assertThat(missing.message())
                .isEqualTo("node(s) didn't match pod topology spread constraints (missing required label)");
        assertThat(((Status.Rejected) missing).unresolvable()).isTrue();
    }

    @Test
    void scheduleAnywayScoresTheEmptierZoneHigher() {
        NodeInfo a = nodeInfo(zoned("a", "a"), web("w1"), web("w2"));
        NodeInfo b = nodeInfo(zoned("b", "b"));
        PodInfo pod = spreading("ScheduleAnyway", 1);
        List<NodeInfo> nodes = List.of(a, b);
        CycleState state = new CycleState(Snapshot.of(a, b));
        assertThat(plugin.preScore(state, pod, nodes).isSuccess()).isTrue();
        long[] scores = nodes.stream().mapToLong(n -> plugin.score(state, pod, n)).toArray();
        plugin.normalize(state, pod, nodes, scores);
        assertThat(scores[1]).isEqualTo(100);
        assertThat(scores[0]).isLessThan(scores[1]);
    }

    @Test
    void clusterDefaultsApplyToPodsOfAService() {
        PodTopologySpread withOwners = new PodTopologySpread(PodTopologySpread.SYSTEM_DEFAULTS, true,
                p -> p.labels().containsKey("app") ? LabelMatcher.ofSet(Map.of("app", "web")) : null);
        NodeInfo busy = nodeInfo(zoned("busy", "a"), web("w1"), web("w2"), web("w3"));
        NodeInfo idle = nodeInfo(zoned("idle", "a"));
        PodInfo pod = info(web("new"));
        List<NodeInfo> nodes = List.of(busy, idle);
        CycleState state = new CycleState(Snapshot.of(busy, idle));
        assertThat(withOwners.preScore(state, pod, nodes).isSuccess()).isTrue();
        long[] scores = nodes.stream().mapToLong(n -> withOwners.score(state, pod, n)).toArray();
        withOwners.normalize(state, pod, nodes, scores);
        assertThat(scores[1]).isGreaterThan(scores[0]);
        // a pod nothing selects gets no default constraints
        assertThat(withOwners.preScore(new CycleState(Snapshot.of(busy, idle)), info(pod("loner")), nodes).isSkip())
                .isTrue();
    }
}
