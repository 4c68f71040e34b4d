package dev.konductor.scheduler.plugins;

import static dev.konductor.scheduler.plugins.Fixtures.info;
import static dev.konductor.scheduler.plugins.Fixtures.node;
import static dev.konductor.scheduler.plugins.Fixtures.nodeInfo;
import static dev.konductor.scheduler.plugins.Fixtures.pod;
import static dev.konductor.scheduler.plugins.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimpleFiltersTest {

    private static Taint taint(String key, String value, String effect) {
        return new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build();
    }

    @Test
    void cordonedNodeRejectsUnlessTheUnschedulableTaintIsTolerated() {
        NodeInfo cordoned = nodeInfo(node("n1", "4", "8Gi").editSpec().withUnschedulable(true).endSpec().build());
        NodeUnschedulable plugin = new NodeUnschedulable();
        Status s = plugin.filter(state(cordoned), info(pod("p")), cordoned);
        assertThat(s).isEqualTo(Status.unresolvable("node(s) were unschedulable"));
        PodInfo tolerating = info(pod("t").editSpec().addToTolerations(new TolerationBuilder()
                .withKey("node.kubernetes.io/unschedulable").withOperator("Exists").withEffect("NoSchedule").build())
                .endSpec());
        assertThat(plugin.filter(state(cordoned), tolerating, cordoned).isSuccess()).isTrue();
    }

    @Test
    void aNodeWithoutSpecIsNeitherCordonedNorTainted() {
        NodeInfo bare = nodeInfo(node("bare").toBuilder().withSpec(null).build());
        assertThat(new NodeUnschedulable().filter(state(bare), info(pod("p")), bare).isSuccess()).isTrue();
        assertThat(new TaintToleration().filter(state(bare), info(pod("p")), bare).isSuccess()).isTrue();
        assertThat(new TaintToleration().score(state(bare), info(pod("p")), bare)).isZero();
    }

    @Test
    void nodeNameMatchesOnlyTheNamedNode() {
        NodeInfo n1 = nodeInfo(node("n1"));
        NodeName plugin = new NodeName();
        assertThat(plugin.filter(state(n1), info(pod("p").editSpec().withNodeName("n2").endSpec()), n1).message())
                .isEqualTo("node(s) didn't match the requested node name");
        assertThat(plugin.filter(state(n1), info(pod("p").editSpec().withNodeName("n1").endSpec()), n1).isSuccess())
                .isTrue();
    }

    @Test
    void untoleratedTaintIsNamedInTheReason() {
        NodeInfo tainted = nodeInfo(node("n1", "4", "8Gi").editSpec()
                .withTaints(taint("dedicated", "gpu", "NoSchedule"), taint("soft", "", "PreferNoSchedule")).endSpec()
                .build());
        TaintToleration plugin = new TaintToleration();
        Status s = plugin.filter(state(tainted), info(pod("p")), tainted);
        assertThat(s.isRejected()).isTrue();
        assertThat(((Status.Rejected) s).unresolvable()).isTrue();
        assertThat(s.message()).isEqualTo("node(s) had untolerated taint {dedicated: gpu}");

        PodInfo tolerating = info(pod("t").editSpec().addToTolerations(new TolerationBuilder().withKey("dedicated")
                .withOperator("Equal").withValue("gpu").withEffect("NoSchedule").build()).endSpec());
        assertThat(plugin.filter(state(tainted), tolerating, tainted).isSuccess()).isTrue();
        PodInfo wrongValue = info(pod("w").editSpec().addToTolerations(new TolerationBuilder().withKey("dedicated")
                .withValue("cpu").build()).endSpec());
        assertThat(plugin.filter(state(tainted), wrongValue, tainted).isRejected()).isTrue();
        PodInfo everything = info(pod("e").editSpec().addToTolerations(new TolerationBuilder().withOperator("Exists")
                .build()).endSpec());
        assertThat(plugin.filter(state(tainted), everything, tainted).isSuccess()).isTrue();
    }

    @Test
    void noExecuteTaintsFilterToo() {
        NodeInfo tainted = nodeInfo(node("n1", "4", "8Gi").editSpec()
                .withTaints(taint("node.kubernetes.io/not-ready", null, "NoExecute")).endSpec().build());
        assertThat(new TaintToleration().filter(state(tainted), info(pod("p")), tainted).message())
                .isEqualTo("node(s) had untolerated taint {node.kubernetes.io/not-ready: }");
    }

    @Test
    void preferNoScheduleTaintsLowerTheScore() {
        NodeInfo clean = nodeInfo(node("clean"));
        NodeInfo soft = nodeInfo(node("soft", "4", "8Gi").editSpec()
                .withTaints(taint("a", "", "PreferNoSchedule"), taint("b", "", "PreferNoSchedule")).endSpec().build());
        NodeInfo softer = nodeInfo(node("softer", "4", "8Gi").editSpec()
                .withTaints(taint("a", "", "PreferNoSchedule")).endSpec().build());
        TaintToleration plugin = new TaintToleration();
        PodInfo pod = info(pod("p"));
        List<NodeInfo> nodes = List.of(clean, soft, softer);
        long[] scores = nodes.stream().mapToLong(n -> plugin.score(state(clean), pod, n)).toArray();
        plugin.normalize(state(clean), pod, nodes, scores);
        assertThat(scores).containsExactly(100, 0, 50);
    }

    @Test
    void nodeSelectorAndRequiredAffinity() {
        NodeInfo ssd = nodeInfo(node("ssd", "4", "8Gi").editMetadata().addToLabels("disk", "ssd")
                .addToLabels("cores", "16").endMetadata().build());
        NodeInfo hdd = nodeInfo(node("hdd", "4", "8Gi").editMetadata().addToLabels("disk", "hdd")
                .addToLabels("cores", "4").endMetadata().build());
        NodeAffinityPlugin plugin = new NodeAffinityPlugin();
        PodInfo selector = info(pod("s").editSpec().addToNodeSelector("disk", "ssd").endSpec());
        assertThat(plugin.filter(state(ssd), selector, ssd).isSuccess()).isTrue();
        assertThat(plugin.filter(state(hdd), selector, hdd).message())
                .isEqualTo("node(s) didn't match Pod's node affinity/selector");

        PodInfo bigCores = info(pod("a").editSpec().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("cores").withOperator("Gt")
                        .withValues("8").build()).endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec());
        assertThat(plugin.filter(state(ssd), bigCores, ssd).isSuccess()).isTrue();
        assertThat(plugin.filter(state(hdd), bigCores, hdd).isRejected()).isTrue();

        PodInfo notHdd = info(pod("n").editSpec().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("disk").withOperator("NotIn")
                        .withValues("hdd").build()).endNodeSelectorTerm()
                .addNewNodeSelectorTerm().withMatchFields(new NodeSelectorRequirementBuilder()
                        .withKey("metadata.name").withOperator("In").withValues("hdd").build()).endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec());
        assertThat(plugin.filter(state(ssd), notHdd, ssd).isSuccess()).isTrue();
        assertThat(plugin.filter(state(hdd), notHdd, hdd).isSuccess()).as("the second term names it").isTrue();
    }

    @Test
    void preferredAffinityScoresByWeight() {
        NodeInfo ssd = nodeInfo(node("ssd", "4", "8Gi").editMetadata().addToLabels("disk", "ssd").endMetadata().build());
        NodeInfo hdd = nodeInfo(node("hdd", "4", "8Gi").editMetadata().addToLabels("disk", "hdd").endMetadata().build());
        PodInfo pod = info(pod("p").editSpec().withNewAffinity().withNewNodeAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(30).withNewPreference()
                .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("disk").withOperator("In")
                        .withValues("ssd").build()).endPreference().endPreferredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity().endSpec());
        NodeAffinityPlugin plugin = new NodeAffinityPlugin();
        List<NodeInfo> nodes = List.of(ssd, hdd);
        long[] scores = nodes.stream().mapToLong(n -> plugin.score(state(ssd), pod, n)).toArray();
        plugin.normalize(state(ssd), pod, nodes, scores);
        assertThat(scores).containsExactly(100, 0);
    }

    @Test
    void hostPortsConflictOnTheSameProtocolAndAddress() {
        PodInfo web = info(pod("web").editSpec().editFirstContainer().addNewPort().withContainerPort(80)
                .withHostPort(8080).endPort().endContainer().endSpec());
        NodeInfo busy = nodeInfo(node("busy"), web.pod());
        NodeInfo free = nodeInfo(node("free"));
        NodePorts plugin = new NodePorts();
        PodInfo same = info(pod("same").editSpec().editFirstContainer().addNewPort().withContainerPort(80)
                .withHostPort(8080).withHostIP("10.0.0.1").endPort().endContainer().endSpec());
        assertThat(plugin.filter(state(busy), same, busy).message())
                .isEqualTo("node(s) didn't have free ports for the requested pod ports");
        assertThat(plugin.filter(state(free), same, free).isSuccess()).isTrue();
        PodInfo udp = info(pod("udp").editSpec().editFirstContainer().addNewPort().withContainerPort(80)
                .withHostPort(8080).withProtocol("UDP").endPort().endContainer().endSpec());
        assertThat(plugin.filter(state(busy), udp, busy).isSuccess()).isTrue();
        assertThat(plugin.preFilter(state(busy), info(pod("none")), null).isSkip()).isTrue();
    }
}
