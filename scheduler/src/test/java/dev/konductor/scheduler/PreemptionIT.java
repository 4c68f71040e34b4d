package dev.konductor.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PriorityClass admission and preemption, end to end through the API. */
class PreemptionIT {

    static LocalApiServer api;
    static KubernetesClient client;
    static Scheduler scheduler;

    @BeforeAll
    static void start() {
        api = LocalApiServer.start();
        client = api.client();
        TestObjects.create(client, TestObjects.node("node-1", "1", "4Gi", 110));
        client.resources(PriorityClass.class).resource(new PriorityClassBuilder().withNewMetadata().withName("high")
                .endMetadata().withValue(1000).build()).create();
        scheduler = new Scheduler(api.client(), new SchedulerSettings("test-scheduler", Optional.empty()));
        scheduler.start();
        Await.until("the scheduler leads", scheduler::leading);
    }

    @AfterAll
    static void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void builtInClassesExistAndUnknownClassesAreRefused() {
        assertThat(client.resources(PriorityClass.class).withName("system-node-critical").get().getValue())
                .isEqualTo(2_000_001_000);
        assertThat(client.resources(PriorityClass.class).withName("system-cluster-critical").get().getValue())
                .isEqualTo(2_000_000_000);
        Pod pod = TestObjects.pod("classless", "10m");
        pod.getSpec().setPriorityClassName("nope");
        assertThatThrownBy(() -> client.pods().resource(pod).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage())
                            .isEqualTo("pods \"classless\" is forbidden: no PriorityClass with name nope was found");
                });
    }

    @Test
    void highPriorityPodPreemptsTheLowerPriorityPodItNeedsRoomFrom() {
        client.pods().resource(TestObjects.pod("low-1", "600m")).create();
        client.pods().resource(TestObjects.pod("low-2", "300m")).create();
        Await.until("both low pods are bound", () -> bound("low-1") && bound("low-2"));

        Pod vip = TestObjects.pod("vip", "700m");
        vip.getSpec().setPriorityClassName("high");
        Pod created = client.pods().resource(vip).create();
        assertThat(created.getSpec().getPriority()).isEqualTo(1000);
        assertThat(created.getSpec().getPreemptionPolicy()).isEqualTo("PreemptLowerPriority");

        Await.until("vip is nominated to node-1", () -> "node-1".equals(
                client.pods().withName("vip").get().getStatus().getNominatedNodeName()));
        Await.until("low-1 is being deleted", () -> {
            Pod p = client.pods().withName("low-1").get();
            return p == null || p.getMetadata().getDeletionTimestamp() != null;
        });
        assertThat(client.pods().withName("low-2").get().getMetadata().getDeletionTimestamp()).isNull();
        Await.until("a Preempted event on low-1", () -> events("low-1").stream()
                .anyMatch(e -> e.getReason().equals("Preempted")));
        Event preempted = events("low-1").stream().filter(e -> e.getReason().equals("Preempted")).findFirst()
                .orElseThrow();
        assertThat(preempted.getNote()).isEqualTo("Preempted by pod " + created.getMetadata().getUid()
                + " on node node-1");
        assertThat(preempted.getRelated().getName()).isEqualTo("vip");
        assertThat(events("vip")).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("FailedScheduling");
            assertThat(e.getNote()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
        });

        // what the kubelet does once the victim's containers stopped
        client.pods().withName("low-1").withGracePeriod(0).delete();
        Await.until("vip is bound to node-1", () -> "node-1".equals(
                client.pods().withName("vip").get().getSpec().getNodeName()));
    }

    @Test
    void podThatMayNotPreemptSaysSo() {
        Await.until("no pod of another test is pending", () -> client.pods().list().getItems().stream()
                .allMatch(p -> p.getSpec().getNodeName() != null || p.getMetadata().getName().equals("never")));
        Pod never = TestObjects.pod("never", "2");
        never.getSpec().setPreemptionPolicy("Never");
        client.pods().resource(never).create();
        Await.until("a FailedScheduling event", () -> !events("never").isEmpty());
        assertThat(events("never").get(0).getNote()).isEqualTo(
                "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.");
    }

    static boolean bound(String pod) {
        Pod p = client.pods().withName(pod).get();
        return p != null && p.getSpec().getNodeName() != null;
    }

    static List<Event> events(String pod) {
        return client.resources(Event.class).inNamespace("default").list().getItems().stream()
                .filter(e -> e.getRegarding() != null && pod.equals(e.getRegarding().getName())).toList();
    }
}
