package dev.konductor.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.history.Revisions;
import dev.konductor.controllers.testsupport.WorkloadHarness;
import dev.konductor.controllers.testsupport.FakeNodes;
import dev.konductor.testing.Await;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DaemonSet controller against a real API server, with nodes and pod lifecycles faked by the test. */
class DaemonSetControllerTest {

    private static final String NS = "default";
    /**
     * Running or replacing daemon pods takes several rounds of the fake nodes (complete a deletion,
     * bind, mark ready) and a sync of the controller after each, per node: on a loaded machine a
     * round alone can take seconds (a first rollout of two pods took over 60 s at a load of 40).
     */
    private static final Duration ROLLOUT = Duration.ofMinutes(2);

    private WorkloadHarness harness;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        harness = new WorkloadHarness(new DaemonSetController());
        client = harness.client();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void runsOnePodPerNodePinnedByAffinityWithDaemonTolerationsAndReportsStatus() {
        harness.createNode("n1", Map.of());
        harness.createNode("n2", Map.of());
        harness.createNode("n3", Map.of());
        client.apps().daemonSets().inNamespace(NS).resource(daemonSet("agent", "agent:1")).create();

        Await.until("a pod for each node", () -> harness.pods(NS).size() == 3);
        List<Pod> pods = harness.pods(NS);
        assertThat(pods).allSatisfy(pod -> {
            assertThat(pod.getMetadata().getName()).startsWith("agent-");
            assertThat(pod.getSpec().getNodeName()).isNull();
            assertThat(pod.getMetadata().getOwnerReferences().getFirst().getKind()).isEqualTo("DaemonSet");
            assertThat(pod.getMetadata().getLabels()).containsKey(Revisions.POD_REVISION_LABEL);
            assertThat(pod.getSpec().getTolerations()).extracting(Toleration::getKey).contains(
                    "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable",
                    "node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure",
                    "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable");
        });
        assertThat(pods.stream().map(NodeEligibility::targetNode).map(o -> o.orElseThrow()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("n1", "n2", "n3");
        Await.until("desiredNumberScheduled 3, none ready", () -> {
            DaemonSetStatus s = status("agent");
            return s.getDesiredNumberScheduled() == 3 && s.getCurrentNumberScheduled() == 3
                    && s.getNumberReady() == 0 && s.getNumberUnavailable() == 3 && s.getObservedGeneration() == 1;
        });

        try (FakeNodes nodes = new FakeNodes(harness, NS, "n1")) {
            Await.until(ROLLOUT, "all ready and available", () -> {
                DaemonSetStatus s = status("agent");
                return s.getNumberReady() == 3 && s.getNumberAvailable() == 3 && s.getUpdatedNumberScheduled() == 3
                        && s.getNumberUnavailable() == 0;
            });
        }
        assertThat(harness.pods(NS)).extracting(p -> p.getSpec().getNodeName())
                .containsExactlyInAnyOrder("n1", "n2", "n3");
        Await.until("three SuccessfulCreate events", () -> harness.events(NS, "SuccessfulCreate").size() == 3);
        assertThat(harness.events(NS, "SuccessfulCreate").getFirst().getMessage()).startsWith("Created pod: agent-");

        List<ControllerRevision> revisions = client.apps().controllerRevisions().inNamespace(NS).list().getItems();
        assertThat(revisions).hasSize(1);
        ControllerRevision revision = revisions.getFirst();
        String hash = harness.pods(NS).getFirst().getMetadata().getLabels().get(Revisions.POD_REVISION_LABEL);
        assertThat(revision.getMetadata().getName()).isEqualTo("agent-" + hash);
        assertThat(revision.getRevision()).isEqualTo(1L);
        assertThat(revision.getMetadata().getLabels()).containsEntry(Revisions.POD_REVISION_LABEL, hash);
        assertThat(Revisions.template(revision).getSpec().getContainers().getFirst().getImage()).isEqualTo("agent:1");
    }

    @Test
    void followsNodeSelectorAndTaintsAndRemovesPodsFromNodesThatNoLongerFit() {
        harness.createNode("ssd-1", Map.of("disk", "ssd"));
        harness.createNode("hdd-1", Map.of("disk", "hdd"));
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("ssd-tainted")
                .withLabels(Map.of("disk", "ssd")).endMetadata().withNewSpec().addNewTaint().withKey("dedicated")
                .withValue("db").withEffect("NoSchedule").endTaint().endSpec().build()).create();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("ssd-cordoned")
                .withLabels(Map.of("disk", "ssd")).endMetadata().withNewSpec().withUnschedulable(true).addNewTaint()
                .withKey("node.kubernetes.io/unschedulable").withEffect("NoSchedule").endTaint().endSpec().build())
                .create();
        DaemonSet ds = new DaemonSetBuilder(daemonSet("ssd", "agent:1")).editSpec().editTemplate().editSpec()
                .addToNodeSelector("disk", "ssd").endSpec().endTemplate().endSpec().build();
        client.apps().daemonSets().inNamespace(NS).resource(ds).create();

        Await.until("pods on the two fitting nodes", () -> targets().equals(Set.of("ssd-1", "ssd-cordoned")));
        Await.until("desired 2", () -> status("ssd").getDesiredNumberScheduled() == 2);

        client.nodes().withName("ssd-1").edit(n -> new NodeBuilder(n).editMetadata().addToLabels("disk", "hdd")
                .endMetadata().build());
        Await.until(ROLLOUT, "the pod leaves the relabelled node", () -> targets().equals(Set.of("ssd-cordoned")));
        Await.until("a SuccessfulDelete event", () -> harness.events(NS, "SuccessfulDelete").stream()
                .anyMatch(e -> e.getMessage().startsWith("Deleted pod: ssd-")));
        Await.until("desired 1", () -> status("ssd").getDesiredNumberScheduled() == 1
                && status("ssd").getNumberMisscheduled() == 0);
    }

    @Test
    void rollingUpdateReplacesOnePodAtATimeAndKeepsHistory() {
        harness.createNode("n1", Map.of());
        harness.createNode("n2", Map.of());
        harness.createNode("n3", Map.of());
        client.apps().daemonSets().inNamespace(NS).resource(daemonSet("agent", "agent:1")).create();
        try (FakeNodes nodes = new FakeNodes(harness, NS, "n1")) {
            Await.until(ROLLOUT, "rolled out", () -> status("agent").getNumberAvailable() == 3);
            Set<String> unavailableAtOnce = ConcurrentHashMap.newKeySet();
            client.apps().daemonSets().inNamespace(NS).withName("agent").edit(d -> new DaemonSetBuilder(d).editSpec()
                    .editTemplate().editSpec().editFirstContainer().withImage("agent:2").endContainer().endSpec()
                    .endTemplate().endSpec().build());
            Await.until(ROLLOUT, "every pod runs agent:2", () -> {
                List<Pod> pods = harness.pods(NS);
                long down = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() != null
                        || p.getSpec().getNodeName() == null).count();
                unavailableAtOnce.add(Long.toString(down));
                DaemonSetStatus s = status("agent");
                return s.getUpdatedNumberScheduled() == 3 && s.getNumberAvailable() == 3 && pods.size() == 3
                        && pods.stream().allMatch(p -> p.getSpec().getContainers().getFirst().getImage()
                        .equals("agent:2"));
            });
            assertThat(unavailableAtOnce).doesNotContain("2", "3");
        }
        List<ControllerRevision> revisions = client.apps().controllerRevisions().inNamespace(NS).list().getItems()
                .stream().sorted(Comparator.comparing(ControllerRevision::getRevision)).toList();
        assertThat(revisions).extracting(ControllerRevision::getRevision).containsExactly(1L, 2L);
        assertThat(Revisions.template(revisions.get(1)).getSpec().getContainers().getFirst().getImage())
                .isEqualTo("agent:2");
        assertThat(status("agent").getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void surgeStartsTheNewPodBeforeTheOldOneGoes() {
        harness.createNode("n1", Map.of());
        DaemonSet ds = new DaemonSetBuilder(daemonSet("agent", "agent:1")).editSpec().withNewUpdateStrategy()
                .withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(1))
                .withMaxUnavailable(new IntOrString(0)).endRollingUpdate().endUpdateStrategy().endSpec().build();
        client.apps().daemonSets().inNamespace(NS).resource(ds).create();
        try (FakeNodes nodes = new FakeNodes(harness, NS, "n1")) {
            Await.until(ROLLOUT, "rolled out", () -> status("agent").getNumberAvailable() == 1);
            String oldPod = harness.pods(NS).getFirst().getMetadata().getName();
            nodes.holdBack(p -> !p.getMetadata().getName().equals(oldPod)); // the new pod never gets ready
            client.apps().daemonSets().inNamespace(NS).withName("agent").edit(d -> new DaemonSetBuilder(d).editSpec()
                    .editTemplate().editSpec().editFirstContainer().withImage("agent:2").endContainer().endSpec()
                    .endTemplate().endSpec().build());
            Await.until("a second pod next to the old one", () -> harness.pods(NS).size() == 2);
            assertThat(harness.pods(NS)).anyMatch(p -> p.getMetadata().getName().equals(oldPod)
                    && p.getMetadata().getDeletionTimestamp() == null);
            nodes.holdBack(p -> false);
            Await.until(ROLLOUT, "the old pod goes once the new one is available", () -> harness.pods(NS).size() == 1
                    && !harness.pods(NS).getFirst().getMetadata().getName().equals(oldPod));
        }
    }

    @Test
    void onDeleteReplacesOnlyPodsTheUserDeletes() {
        harness.createNode("n1", Map.of());
        harness.createNode("n2", Map.of());
        DaemonSet ds = new DaemonSetBuilder(daemonSet("agent", "agent:1")).editSpec().withNewUpdateStrategy()
                .withType("OnDelete").endUpdateStrategy().endSpec().build();
        client.apps().daemonSets().inNamespace(NS).resource(ds).create();
        try (FakeNodes nodes = new FakeNodes(harness, NS, "n1")) {
            Await.until(ROLLOUT, "rolled out", () -> status("agent").getNumberAvailable() == 2);
            client.apps().daemonSets().inNamespace(NS).withName("agent").edit(d -> new DaemonSetBuilder(d).editSpec()
                    .editTemplate().editSpec().editFirstContainer().withImage("agent:2").endContainer().endSpec()
                    .endTemplate().endSpec().build());
            Await.until("generation observed", () -> status("agent").getObservedGeneration() == 2
                    && status("agent").getUpdatedNumberScheduled() == 0);
            Pod onN2 = harness.pods(NS).stream().filter(p -> "n2".equals(p.getSpec().getNodeName())).findFirst()
                    .orElseThrow();
            client.pods().inNamespace(NS).withName(onN2.getMetadata().getName()).delete();
            Await.until(ROLLOUT, "n2 runs agent:2, n1 still agent:1", () -> {
                Map<String, String> images = harness.pods(NS).stream().filter(p -> p.getSpec().getNodeName() != null)
                        .collect(Collectors.toMap(p -> p.getSpec().getNodeName(),
                                p -> p.getSpec().getContainers().getFirst().getImage(), (a, b) -> a + "," + b));
                return images.equals(Map.of("n1", "agent:1", "n2", "agent:2"))
                        && status("agent").getUpdatedNumberScheduled() == 1;
            });
        }
    }

    private Set<String> targets() {
        return harness.pods(NS).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> NodeEligibility.targetNode(p).orElse("?")).collect(Collectors.toSet());
    }

    private DaemonSetStatus status(String name) {
        DaemonSet ds = client.apps().daemonSets().inNamespace(NS).withName(name).get();
        return ds.getStatus();
    }

    static DaemonSet daemonSet(String name, String image) {
        return new DaemonSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }
}
