package dev.konductor.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.TestClock;
import dev.konductor.controllers.testsupport.ControllerHarness;
import dev.konductor.testing.Await;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ReplicaSet controller against a real API server. Its clock stands still unless a test
 * moves it, so minReadySeconds runs out when the test says and not when a loaded machine does.
 */
class ReplicaSetControllerTest {

    private static final TestClock clock = TestClock.stopped();
    private static ControllerHarness cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = new ControllerHarness(() -> List.of(new ReplicaSetController()), clock);
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static ReplicaSet replicaSet(String name, int replicas) {
        return new ReplicaSetBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).addToLabels("tier", "front").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private ReplicaSet get(String ns, String name) {
        return client.apps().replicaSets().inNamespace(ns).withName(name).get();
    }

    private List<Pod> ownedPods(String ns, ReplicaSet rs) {
        return cluster.livePods(ns).stream().filter(p -> p.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> r.getUid().equals(rs.getMetadata().getUid()) && r.getController())).toList();
    }

    @Test
    void createsPodsFromTheTemplateAndReportsStatus() {
        String ns = cluster.namespace("rs-create");
        ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).resource(replicaSet("web", 3)).create();

        Await.until("three pods", () -> cluster.livePods(ns).size() == 3);
        for (Pod pod : cluster.livePods(ns)) {
            assertThat(pod.getMetadata().getName()).startsWith("web-").hasSize("web-".length() + 5);
            assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web").containsEntry("tier", "front");
            assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
                assertThat(r.getKind()).isEqualTo("ReplicaSet");
                assertThat(r.getName()).isEqualTo("web");
                assertThat(r.getUid()).isEqualTo(rs.getMetadata().getUid());
                assertThat(r.getController()).isTrue();
                assertThat(r.getBlockOwnerDeletion()).isTrue();
            });
        }
        Await.until("status counts the pods", () -> get(ns, "web").getStatus().getReplicas() == 3
                && Long.valueOf(1).equals(get(ns, "web").getStatus().getObservedGeneration())
                && Integer.valueOf(3).equals(get(ns, "web").getStatus().getFullyLabeledReplicas()));
        assertThat(get(ns, "web").getStatus().getReadyReplicas()).isNull();

        cluster.markReady(ns);
        Await.until("ready and available", () -> Integer.valueOf(3).equals(get(ns, "web").getStatus().getReadyReplicas())
                && Integer.valueOf(3).equals(get(ns, "web").getStatus().getAvailableReplicas()));

        List<String> names = cluster.livePods(ns).stream().map(p -> p.getMetadata().getName()).toList();
        Await.until("one SuccessfulCreate event per pod", () -> cluster.events(ns, "SuccessfulCreate").size() == 3);
        assertThat(cluster.events(ns, "SuccessfulCreate")).allSatisfy(e -> {
            assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
            assertThat(e.getSource().getComponent()).isEqualTo("replicaset-controller");
            assertThat(names).contains(e.getMessage().substring("Created pod: ".length()));
        });
    }

    @Test
    void aDeletedPodIsReplaced() {
        String ns = cluster.namespace("rs-replace");
        client.apps().replicaSets().inNamespace(ns).resource(replicaSet("web", 2)).create();
        Await.until("two pods", () -> cluster.livePods(ns).size() == 2);
        String victim = cluster.livePods(ns).getFirst().getMetadata().getName();

        client.pods().inNamespace(ns).withName(victim).delete();

        Await.until("a replacement", () -> cluster.livePods(ns).size() == 2
                && cluster.livePods(ns).stream().noneMatch(p -> p.getMetadata().getName().equals(victim)));
        Await.until("three pods were created in all", () -> cluster.events(ns, "SuccessfulCreate").size() == 3);
    }

    @Test
    void scaleDownDeletesPodsThatAreNotReadyFirst() {
        String ns = cluster.namespace("rs-down");
        client.apps().replicaSets().inNamespace(ns).resource(replicaSet("web", 4)).create();
        Await.until("four pods", () -> cluster.livePods(ns).size() == 4);
        String keeper = cluster.livePods(ns).get(2).getMetadata().getName();
        cluster.markReady(ns, p -> p.getMetadata().getName().equals(keeper));
        Await.until("the ready pod counts", () -> Integer.valueOf(1).equals(get(ns, "web").getStatus().getReadyReplicas()));

        client.apps().replicaSets().inNamespace(ns).withName("web").scale(1);

        Await.until("one pod left", () -> cluster.livePods(ns).size() == 1);
        assertThat(cluster.livePods(ns).getFirst().getMetadata().getName()).isEqualTo(keeper);
        Await.until("three SuccessfulDelete events", () -> cluster.events(ns, "SuccessfulDelete").size() == 3);
        assertThat(cluster.events(ns, "SuccessfulDelete")).allSatisfy(e ->
                assertThat(e.getMessage()).startsWith("Deleted pod: web-").doesNotContain(keeper));
        Await.until("status says 1", () -> get(ns, "web").getStatus().getReplicas() == 1
                && Long.valueOf(2).equals(get(ns, "web").getStatus().getObservedGeneration()));
    }

    @Test
    void adoptsMatchingOrphansAndReleasesPodsThatStopMatching() {
        String ns = cluster.namespace("rs-adopt");
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("orphan")
                .addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build())
                .create();
        ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).resource(replicaSet("web", 2)).create();

        Await.until("the orphan is adopted", () -> client.pods().inNamespace(ns).withName("orphan").get()
                .getMetadata().getOwnerReferences().stream().anyMatch(r -> r.getUid().equals(rs.getMetadata().getUid())));
        Await.until("one more pod makes two", () -> ownedPods(ns, rs).size() == 2);
        assertThat(cluster.livePods(ns)).hasSize(2);
        Await.until("fully labeled counts only the pod with every template label",
                () -> Integer.valueOf(1).equals(get(ns, "web").getStatus().getFullyLabeledReplicas()));

        client.pods().inNamespace(ns).withName("orphan").edit(p -> new PodBuilder(p).editMetadata()
                .withLabels(Map.of("app", "other")).endMetadata().build());

        Await.until("the pod is released", () -> client.pods().inNamespace(ns).withName("orphan").get()
                .getMetadata().getOwnerReferences().isEmpty());
        Await.until("and replaced", () -> ownedPods(ns, rs).size() == 2);
        assertThat(cluster.livePods(ns)).hasSize(3);
    }

    @Test
    void minReadySecondsDelaysAvailability() {
        String ns = cluster.namespace("rs-minready");
        ReplicaSet template = replicaSet("web", 1);
        template.getSpec().setMinReadySeconds(2);
        client.apps().replicaSets().inNamespace(ns).resource(template).create();
        Await.until("a pod", () -> cluster.livePods(ns).size() == 1);

        cluster.markReady(ns);

        Await.until("ready", () -> Integer.valueOf(1).equals(get(ns, "web").getStatus().getReadyReplicas()));
        assertThat(get(ns, "web").getStatus().getAvailableReplicas()).as("ready for less than 2 s").isNull();

        clock.advance(Duration.ofSeconds(3));
        Await.until("available once ready for longer than minReadySeconds",
                () -> Integer.valueOf(1).equals(get(ns, "web").getStatus().getAvailableReplicas()));
    }

    @Test
    void scalingToZeroAndBack() {
        String ns = cluster.namespace("rs-zero");
        client.apps().replicaSets().inNamespace(ns).resource(replicaSet("web", 5)).create();
        Await.until("five pods", () -> cluster.livePods(ns).size() == 5);
        client.apps().replicaSets().inNamespace(ns).withName("web").scale(0);
        Await.until("no pods", () -> cluster.livePods(ns).isEmpty() && get(ns, "web").getStatus().getReplicas() == 0);
        client.apps().replicaSets().inNamespace(ns).withName("web").scale(3);
        Await.until("three pods", () -> cluster.livePods(ns).size() == 3);
    }
}
