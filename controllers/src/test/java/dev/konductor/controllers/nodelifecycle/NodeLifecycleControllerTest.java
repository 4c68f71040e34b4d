package dev.konductor.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.ControllerManager;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The node lifecycle controller against a real API server. No kubelet runs: the test plays it,
 * registering nodes and renewing their Leases.
 */
class NodeLifecycleControllerTest {

    static final ControllerSettings FAST = new ControllerSettings(Duration.ofSeconds(4), Duration.ofMillis(100), 2);
    static final NodeLifecycleSettings QUICK_TAINTS = new NodeLifecycleSettings(100, 10, 50, 0.55, null);

    /**
     * Plays the kubelets of some nodes: renews their Leases and, like a kubelet, posts its Ready
     * status again when the server's copy says otherwise, until told to stop.
     */
    static final class Kubelets implements AutoCloseable {
        private final KubernetesClient client;
        private final Set<String> alive = ConcurrentHashMap.newKeySet();
        private final java.util.Map<String, String> posted = new ConcurrentHashMap<>();
        private final Thread renewer;

        Kubelets(KubernetesClient client) {
            this.client = client;
            this.renewer = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    for (String node : alive) {
                        try {
                            client.leases().inNamespace("kube-node-lease").withName(node).edit(l -> {
                                l.getSpec().setRenewTime(Instant.now().atZone(ZoneOffset.UTC));
                                return l;
                            });
                            Node current = client.nodes().withName(node).get();
                            if (!ready(client, node).getStatus().equals(posted.get(node))) {
                                postStatus(current, posted.get(node));
                            }
                        } catch (RuntimeException e) {
                            // the next round retries
                        }
                    }
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void register(String name, String ready) {
            if (client.namespaces().withName("kube-node-lease").get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("kube-node-lease")
                        .endMetadata().build()).create();
            }
            Node node = client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                    .withNewSpec().endSpec().build()).create();
            postStatus(node, ready);
            client.leases().inNamespace("kube-node-lease").resource(new io.fabric8.kubernetes.api.model.coordination.v1
                    .LeaseBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withHolderIdentity(name)
                    .withLeaseDurationSeconds(40).withRenewTime(Instant.now().atZone(ZoneOffset.UTC)).endSpec().build())
                    .create();
            alive.add(name);
        }

        void postStatus(Node node, String ready) {
            posted.put(node.getMetadata().getName(), ready);
            String now = Instant.now().toString();
            Node fresh = client.nodes().withName(node.getMetadata().getName()).get();
            client.nodes().resource(new NodeBuilder(fresh).withNewStatus().addNewCondition().withType("Ready")
                    .withStatus(ready).withReason(ready.equals("True") ? "KubeletReady" : "KubeletNotReady")
                    .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition().endStatus().build())
                    .updateStatus();
        }

        void stop(String name) {
            alive.remove(name);
        }

        void resume(String name) {
            postStatus(client.nodes().withName(name).get(), "True");
            alive.add(name);
        }

        @Override
        public void close() {
            renewer.interrupt();
        }
    }

    @Test
    void aSilentNodeIsMarkedUnknownTaintedAndItsPodsNotReadyThenRecovers() {
        try (LocalApiServer api = LocalApiServer.start();
             ControllerManager manager = new ControllerManager(api.client(), "test",
                     () -> List.of(new NodeLifecycleController(QUICK_TAINTS)), FAST, Clock.systemUTC());
             Kubelets kubelets = new Kubelets(api.client())) {
            KubernetesClient client = api.client();
            kubelets.register("n1", "True");
            kubelets.register("n2", "True");
            Pod pod = client.pods().resource(new PodBuilder().withNewMetadata().withName("web").endMetadata()
                    .withNewSpec().withNodeName("n2").addNewContainer().withName("c").withImage("nginx").endContainer()
                    .endSpec().build()).create();
            client.pods().resource(new PodBuilder(pod).withNewStatus().withPhase("Running").addNewCondition()
                    .withType("Ready").withStatus("True").endCondition().endStatus().build()).updateStatus();
            manager.startWithoutElection();

            Thread.sleep(3000);
            assertThat(ready(client, "n1").getStatus()).as("heartbeating nodes stay Ready").isEqualTo("True");
            assertThat(ready(client, "n2").getStatus()).isEqualTo("True");

            kubelets.stop("n2");
            Await.until("n2 goes Unknown", () -> ready(client, "n2").getStatus().equals("Unknown"));
            NodeCondition unknown = ready(client, "n2");
            assertThat(unknown.getReason()).isEqualTo("NodeStatusUnknown");
            assertThat(unknown.getMessage()).isEqualTo("Kubelet stopped posting node status.");
            Await.until("n2 is tainted unreachable, NoExecute and NoSchedule", () -> {
                List<Taint> taints = taints(client, "n2");
                return NodeTaints.has(taints, NodeTaints.UNREACHABLE, "NoExecute")
                        && NodeTaints.has(taints, NodeTaints.UNREACHABLE, "NoSchedule");
            });
            Await.until("its pod is not Ready", () -> client.pods().withName("web").get().getStatus().getConditions()
                    .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("False")));
            Await.until("a NodeNotReady event", () -> client.v1().events().inNamespace("default").list().getItems()
                    .stream().anyMatch(e -> e.getReason().equals("NodeNotReady")
                            && e.getInvolvedObject().getKind().equals("Node")
                            && e.getMessage().equals("Node n2 status is now: NodeNotReady")));
            assertThat(ready(client, "n1").getStatus()).isEqualTo("True");
            assertThat(taints(client, "n1")).isEmpty();

            kubelets.resume("n2");
            Await.until("n2's taints go once it is Ready again", () -> taints(client, "n2").isEmpty()
                    && ready(client, "n2").getStatus().equals("True"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void notReadyAndUnschedulableNodesGetTheirTaints() {
        try (LocalApiServer api = LocalApiServer.start();
             ControllerManager manager = new ControllerManager(api.client(), "test",
                     () -> List.of(new NodeLifecycleController(QUICK_TAINTS)), FAST, Clock.systemUTC());
             Kubelets kubelets = new Kubelets(api.client())) {
            KubernetesClient client = api.client();
            kubelets.register("n1", "True");
            kubelets.register("n2", "True");
            manager.startWithoutElection();

            kubelets.postStatus(client.nodes().withName("n2").get(), "False");
            Await.until("a not-ready node is tainted not-ready", () -> {
                List<Taint> taints = taints(client, "n2");
                return NodeTaints.has(taints, NodeTaints.NOT_READY, "NoExecute")
                        && NodeTaints.has(taints, NodeTaints.NOT_READY, "NoSchedule");
            });

            client.nodes().withName("n1").edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec()
                    .build());
            Await.until("a cordoned node is tainted unschedulable", () -> taints(client, "n1").stream()
                    .anyMatch(t -> t.getKey().equals(NodeTaints.UNSCHEDULABLE) && t.getEffect().equals("NoSchedule")
                            && t.getTimeAdded() != null));
            client.nodes().withName("n1").edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(false).endSpec()
                    .build());
            Await.until("uncordoned, the taint goes", () -> taints(client, "n1").isEmpty());
        }
    }

    @Test
    void whenEveryNodeIsDownNothingGetsANoExecuteTaint() {
        try (LocalApiServer api = LocalApiServer.start();
             ControllerManager manager = new ControllerManager(api.client(), "test",
                     () -> List.of(new NodeLifecycleController(QUICK_TAINTS)), FAST, Clock.systemUTC());
             Kubelets kubelets = new Kubelets(api.client())) {
            KubernetesClient client = api.client();
            kubelets.register("solo", "True");
            manager.startWithoutElection();

            kubelets.stop("solo");
            Await.until("the only node goes Unknown and unschedulable", () -> NodeTaints.has(taints(client, "solo"),
                    NodeTaints.UNREACHABLE, "NoSchedule"));
            Thread.sleep(1000);
            assertThat(NodeTaints.has(taints(client, "solo"), NodeTaints.UNREACHABLE, "NoExecute"))
                    .as("full disruption: no evictions").isFalse();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void podsOnAnUnreachableNodeAreEvictedWhenTheirTolerationRunsOut() throws Exception {
        try (LocalApiServer api = LocalApiServer.start();
             ControllerManager manager = new ControllerManager(api.client(), "test",
                     () -> List.of(new NodeLifecycleController(QUICK_TAINTS),
                             new dev.konductor.controllers.tainteviction.TaintEvictionController()),
                     FAST, Clock.systemUTC());
             Kubelets kubelets = new Kubelets(api.client())) {
            KubernetesClient client = api.client();
            kubelets.register("n1", "True");
            kubelets.register("n2", "True");
            Pod quick = client.pods().resource(new PodBuilder().withNewMetadata().withName("quick").endMetadata()
                    .withNewSpec().withNodeName("n2").addNewContainer().withName("c").withImage("nginx").endContainer()
                    .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists")
                    .withEffect("NoExecute").withTolerationSeconds(1L).endToleration().endSpec().build()).create();
            Pod defaulted = client.pods().resource(new PodBuilder().withNewMetadata().withName("defaulted")
                    .endMetadata().withNewSpec().withNodeName("n2").addNewContainer().withName("c").withImage("nginx")
                    .endContainer().endSpec().build()).create();
            assertThat(defaulted.getSpec().getTolerations()).as("admission's default tolerations")
                    .anySatisfy(t -> {
                        assertThat(t.getKey()).isEqualTo("node.kubernetes.io/unreachable");
                        assertThat(t.getTolerationSeconds()).isEqualTo(300L);
                    });
            manager.startWithoutElection();

            kubelets.stop("n2");
            Await.until("the pod tolerating unreachable for 1 s is evicted", () -> {
                Pod p = client.pods().withName("quick").get();
                return p == null || p.getMetadata().getDeletionTimestamp() != null;
            });
            assertThat(client.pods().withName("defaulted").get().getMetadata().getDeletionTimestamp())
                    .as("the 300 s default toleration still holds").isNull();
            assertThat(quick.getMetadata().getName()).isEqualTo("quick");
        }
    }

    static NodeCondition ready(KubernetesClient client, String node) {
        return client.nodes().withName(node).get().getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
    }

    static List<Taint> taints(KubernetesClient client, String node) {
        Node n = client.nodes().withName(node).get();
        return n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints();
    }

}
