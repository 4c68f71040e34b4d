package dev.konductor.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NodeEligibilityTest {

    private static final PodSpec PLAIN = new PodSpecBuilder().addNewContainer().withName("c").withImage("i")
            .endContainer().build();

    @ParameterizedTest(name = "taint {0}={1}:{2} -> run={3} stay={4}")
    @CsvSource({
            // the tolerations every daemon pod gets
            "node.kubernetes.io/not-ready,,NoExecute,true,true",
            "node.kubernetes.io/unreachable,,NoExecute,true,true",
            "node.kubernetes.io/disk-pressure,,NoSchedule,true,true",
            "node.kubernetes.io/memory-pressure,,NoSchedule,true,true",
            "node.kubernetes.io/pid-pressure,,NoSchedule,true,true",
            "node.kubernetes.io/unschedulable,,NoSchedule,true,true",
            // network-unavailable only for hostNetwork pods
            "node.kubernetes.io/network-unavailable,,NoSchedule,false,true",
            // a taint nobody tolerates
            "dedicated,db,NoSchedule,false,true",
            "dedicated,db,NoExecute,false,false",
            "dedicated,db,PreferNoSchedule,true,true",
    })
    void taintsAgainstTheDaemonTolerations(String key, String value, String effect, boolean run, boolean stay) {
        Node node = new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewSpec().addNewTaint()
                .withKey(key).withValue(value).withEffect(effect).endTaint().endSpec().build();
        assertThat(NodeEligibility.of(node, PLAIN)).isEqualTo(new NodeEligibility.Verdict(run, stay));
    }

    @Test
    void hostNetworkPodsTolerateAnUnavailableNetwork() {
        Node node = new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewSpec().addNewTaint()
                .withKey("node.kubernetes.io/network-unavailable").withEffect("NoSchedule").endTaint().endSpec().build();
        PodSpec hostNetwork = new PodSpecBuilder(PLAIN).withHostNetwork(true).build();
        assertThat(NodeEligibility.of(node, hostNetwork).shouldRun()).isTrue();
    }

    @Test
    void aTemplateTolerationMatchesByKeyValueAndEffect() {
        Node node = new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewSpec().addNewTaint()
                .withKey("dedicated").withValue("db").withEffect("NoSchedule").endTaint().endSpec().build();
        PodSpec wrongValue = new PodSpecBuilder(PLAIN).addNewToleration().withKey("dedicated").withOperator("Equal")
                .withValue("web").withEffect("NoSchedule").endToleration().build();
        PodSpec rightValue = new PodSpecBuilder(PLAIN).addNewToleration().withKey("dedicated").withValue("db")
                .endToleration().build();
        PodSpec everything = new PodSpecBuilder(PLAIN).addNewToleration().withOperator("Exists").endToleration()
                .build();
        assertThat(NodeEligibility.of(node, wrongValue).shouldRun()).isFalse();
        assertThat(NodeEligibility.of(node, rightValue).shouldRun()).isTrue();
        assertThat(NodeEligibility.of(node, everything).shouldRun()).isTrue();
    }

    @Test
    void nodeSelectorAndRequiredAffinityMustBothMatch() {
        Node ssd = new NodeBuilder().withNewMetadata().withName("a").withLabels(Map.of("disk", "ssd", "cpus", "8"))
                .endMetadata().build();
        Node hdd = new NodeBuilder().withNewMetadata().withName("b").withLabels(Map.of("disk", "hdd", "cpus", "2"))
                .endMetadata().build();
        PodSpec selector = new PodSpecBuilder(PLAIN).addToNodeSelector("disk", "ssd").build();
        assertThat(NodeEligibility.of(ssd, selector).shouldRun()).isTrue();
        assertThat(NodeEligibility.of(hdd, selector)).isEqualTo(NodeEligibility.Verdict.NEITHER);

        PodSpec affinity = new PodSpecBuilder(PLAIN).withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("cpus").withOperator("Gt").withValues("4")
                .endMatchExpression().endNodeSelectorTerm()
                .addNewNodeSelectorTerm().addNewMatchField().withKey("metadata.name").withOperator("In").withValues("z")
                .endMatchField().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().build();
        assertThat(NodeEligibility.of(ssd, affinity).shouldRun()).isTrue();
        assertThat(NodeEligibility.of(hdd, affinity).shouldRun()).isFalse();
    }

    @Test
    void theTemplateNodeNamePinsToOneNode() {
        Node a = new NodeBuilder().withNewMetadata().withName("a").endMetadata().build();
        Node b = new NodeBuilder().withNewMetadata().withName("b").endMetadata().build();
        PodSpec pinned = new PodSpecBuilder(PLAIN).withNodeName("a").build();
        assertThat(NodeEligibility.of(a, pinned).shouldRun()).isTrue();
        assertThat(NodeEligibility.of(b, pinned)).isEqualTo(NodeEligibility.Verdict.NEITHER);
    }

    @Test
    void daemonPodsArePinnedByAMetadataNameAffinityTheTargetNodeIsReadBackFrom() {
        PodSpec withAffinity = new PodSpecBuilder(PLAIN).withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .addNewMatchExpression().withKey("disk").withOperator("Exists").endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity()
                .endAffinity().build();
        Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withSpec(new PodSpecBuilder(withAffinity)
                        .withAffinity(NodeEligibility.pinnedTo(withAffinity.getAffinity(), "node-7")).build())
                .build();
        var terms = pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms();
        assertThat(terms).hasSize(1);
        assertThat(terms.getFirst().getMatchFields().getFirst().getKey()).isEqualTo("metadata.name");
        assertThat(NodeEligibility.targetNode(pod)).contains("node-7");
    }

    @Test
    void anExistingDaemonTolerationIsReplacedNotDuplicated() {
        PodSpec spec = new PodSpecBuilder(PLAIN).addNewToleration().withKey("node.kubernetes.io/not-ready")
                .withOperator("Exists").withEffect("NoExecute").withTolerationSeconds(300L).endToleration().build();
        assertThat(NodeEligibility.withDaemonTolerations(spec)).filteredOn(t -> t.getKey().endsWith("not-ready"))
                .singleElement().extracting(Toleration::getTolerationSeconds).isNull();
    }
}
