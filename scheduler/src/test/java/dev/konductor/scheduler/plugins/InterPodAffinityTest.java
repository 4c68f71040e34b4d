package dev.konductor.scheduler.plugins;

import static dev.konductor.scheduler.plugins.Fixtures.info;
import static dev.konductor.scheduler.plugins.Fixtures.node;
import static dev.konductor.scheduler.plugins.Fixtures.nodeInfo;
import static dev.konductor.scheduler.plugins.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Snapshot;
import dev.konductor.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterPodAffinityTest {

    private final InterPodAffinity plugin = new InterPodAffinity();

    private static Node zoned(String name, String zone) {
        return node(name, "4", "8Gi").editMetadata().addToLabels("topology.kubernetes.io/zone", zone).endMetadata()
                .build();
    }

    private static PodAffinityTerm term(String app, String topologyKey) {
        return new PodAffinityTermBuilder().withNewLabelSelector().addToMatchLabels("app", app).endLabelSelector()
                .withTopologyKey(topologyKey).build();
    }

    private static PodBuilder labelled(String name, String app) {
        return pod(name).editMetadata().addToLabels("app", app).endMetadata();
    }

    private Status run(PodInfo pod, NodeInfo target, NodeInfo... all) {
        Snapshot snapshot = Snapshot.of(all);
        CycleState state = new CycleState(snapshot);
        Status pre = plugin.preFilter(state, pod, snapshot);
        if (pre.isSkip()) {
            return Status.SUCCESS;
        }
        return plugin.filter(state, pod, target);
    }

    @Test
    void requiredAffinityFollowsTheZoneOfMatchingPods() {
        NodeInfo a1 = nodeInfo(zoned("a1", "a"), labelled("db", "db").build());
        NodeInfo a2 = nodeInfo(zoned("a2", "a"));
        NodeInfo b1 = nodeInfo(zoned("b1", "b"));
        PodInfo web = info(labelled("web", "web").editSpec().withNewAffinity().withNewPodAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(term("db", "topology.kubernetes.io/zone"))
                .endPodAffinity().endAffinity().endSpec());
        assertThat(run(web, a2, a1, a2, b1).isSuccess()).isTrue();
        Status s = run(web, b1, a1, a2, b1);
        assertThat(s.message()).isEqualTo("node(s) didn't match pod affinity rules");
        assertThat(((Status.Rejected) s).unresolvable()).isTrue();
    }

    @Test
    void theFirstPodOfAGroupWithAffinityToItselfMayGoAnywhere() {
        NodeInfo a1 = nodeInfo(zoned("a1", "a"));
        PodInfo first = info(labelled("first", "cache").editSpec().withNewAffinity().withNewPodAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(term("cache", "topology.kubernetes.io/zone"))
                .endPodAffinity().endAffinity().endSpec());
        assertThat(run(first, a1, a1).isSuccess()).isTrue();
    }

    @Test
    void antiAffinityBothWays() {
        NodeInfo n1 = nodeInfo(zoned("n1", "a"), labelled("web-1", "web").build());
        NodeInfo n2 = nodeInfo(zoned("n2", "a"));
        PodInfo web2 = info(labelled("web-2", "web").editSpec().withNewAffinity().withNewPodAntiAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(term("web", "kubernetes.io/hostname"))
                .endPodAntiAffinity().endAffinity().endSpec());
        assertThat(run(web2, n1, n1, n2).message()).isEqualTo("node(s) didn't match pod anti-affinity rules");
        assertThat(run(web2, n2, n1, n2).isSuccess()).isTrue();

        // an existing pod that keeps "web" pods away from its zone
        NodeInfo guard = nodeInfo(zoned("g1", "b"), labelled("guard", "guard").editSpec().withNewAffinity()
                .withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(
                        term("web", "topology.kubernetes.io/zone")).endPodAntiAffinity().endAffinity().endSpec().build());
        NodeInfo g2 = nodeInfo(zoned("g2", "b"));
        PodInfo plainWeb = info(labelled("web-3", "web"));
        assertThat(run(plainWeb, g2, guard, g2, n2).message())
                .isEqualTo("node(s) didn't satisfy existing pods anti-affinity rules");
        assertThat(run(plainWeb, n2, guard, g2, n2).isSuccess()).isTrue();
    }

    @Test
    void preferredTermsScoreTheirTopology() {
        NodeInfo a1 = nodeInfo(zoned("a1", "a"), labelled("db", "db").build());
        NodeInfo b1 = nodeInfo(zoned("b1", "b"));
        PodInfo web = info(labelled("web", "web").editSpec().withNewAffinity().withNewPodAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(10)
                .withPodAffinityTerm(term("db", "topology.kubernetes.io/zone"))
                .endPreferredDuringSchedulingIgnoredDuringExecution().endPodAffinity().endAffinity().endSpec());
        Snapshot snapshot = Snapshot.of(a1, b1);
        CycleState state = new CycleState(snapshot);
        List<NodeInfo> nodes = List.of(a1, b1);
        assertThat(plugin.preScore(state, web, nodes).isSuccess()).isTrue();
        long[] scores = nodes.stream().mapToLong(n -> plugin.score(state, web, n)).toArray();
        plugin.normalize(state, web, nodes, scores);
        assertThat(scores).containsExactly(100, 0);
    }

    @Test
    void removingAPodForPreemptionUpdatesTheCounts() {
        NodeInfo n1 = nodeInfo(zoned("n1", "a"), labelled("web-1", "web").build());
        PodInfo web2 = info(labelled("web-2", "web").editSpec().withNewAffinity().withNewPodAntiAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(term("web", "kubernetes.io/hostname"))
                .endPodAntiAffinity().endAffinity().endSpec());
        Snapshot snapshot = Snapshot.of(n1);
        CycleState state = new CycleState(snapshot);
        plugin.preFilter(state, web2, snapshot);
        assertThat(plugin.filter(state, web2, n1).isRejected()).isTrue();
        NodeInfo copy = n1.copy();
        PodInfo victim = copy.pods().get(0);
        copy.removePod(victim);
        plugin.extensions().removePod(state, web2, victim, copy);
        assertThat(plugin.filter(state, web2, copy).isSuccess()).isTrue();
    }
}
