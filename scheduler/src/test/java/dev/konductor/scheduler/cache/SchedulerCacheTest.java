package dev.konductor.scheduler.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Snapshot;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {

    private final SchedulerCache cache = new SchedulerCache(ns -> Map.of());

    private static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .addToAllocatable(Map.of("cpu", new Quantity("4"), "pods", new Quantity("110"))).endStatus().build();
    }

    private static PodInfo pod(String name, String node, boolean antiAffinity) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withUid(UUID.randomUUID().toString()).addToLabels("app", name).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withNewResources()
                .addToRequests("cpu", new Quantity("1")).endResources().endContainer().endSpec();
        if (antiAffinity) {
            b.editSpec().withNewAffinity().withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withTopologyKey("kubernetes.io/hostname").withNewLabelSelector().addToMatchLabels("app", name)
                    .endLabelSelector().endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity()
                    .endAffinity().endSpec();
        }
        Pod p = b.build();
        return PodInfo.of(p);
    }

    @Test
    void aSnapshotAfterAnAssumedPodHasItOnItsNodeAndKeepsTheOtherNodesAndTheOrder() {
        cache.addNode(node("c"));
        cache.addNode(node("a"));
        cache.addNode(node("b"));
        Snapshot before = cache.updateSnapshot();

        cache.assume(pod("p", "b", false), "b");
        Snapshot after = cache.updateSnapshot();

        assertThat(after.nodes()).extracting(NodeInfo::name).containsExactly("a", "b", "c");
        assertThat(after.get("b").pods()).extracting(PodInfo::name).containsExactly("p");
        assertThat(before.get("b").pods()).isEmpty();
        assertThat(after.get("a")).isSameAs(before.get("a"));
        assertThat(after.get("c")).isSameAs(before.get("c"));
    }

    @Test
    void nothingChangedGivesTheSameSnapshot() {
        cache.addNode(node("a"));
        Snapshot first = cache.updateSnapshot();

        assertThat(cache.updateSnapshot()).isSameAs(first);
    }

    @Test
    void nodesWithAntiAffinityPodsFollowTheirPods() {
        cache.addNode(node("a"));
        cache.addNode(node("b"));
        PodInfo guarded = pod("g", "a", true);
        cache.addPod(guarded);
        assertThat(cache.updateSnapshot().nodesWithPodsWithRequiredAntiAffinity()).extracting(NodeInfo::name)
                .containsExactly("a");

        cache.removePod(guarded.uid());

        assertThat(cache.updateSnapshot().nodesWithPodsWithRequiredAntiAffinity()).isEmpty();
    }

    @Test
    void nodesThatComeAndGoAreInTheNextSnapshot() {
        cache.addNode(node("a"));
        cache.updateSnapshot();

        cache.addNode(node("b"));
        assertThat(cache.updateSnapshot().nodes()).extracting(NodeInfo::name).containsExactly("a", "b");

        cache.removeNode(node("a"));
        Snapshot snapshot = cache.updateSnapshot();
        assertThat(snapshot.nodes()).extracting(NodeInfo::name).containsExactly("b");
        assertThat(snapshot.get("a")).isNull();
    }

    @Test
    void podsOfANodeNotSeenYetAppearWithTheNode() {
        cache.addPod(pod("early", "late-node", false));
        assertThat(cache.updateSnapshot().size()).isZero();

        cache.addNode(node("late-node"));

        assertThat(cache.updateSnapshot().get("late-node").pods()).extracting(PodInfo::name).containsExactly("early");
    }
}
