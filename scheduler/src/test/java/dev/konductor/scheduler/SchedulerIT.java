package dev.konductor.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scheduler against a real API server: placement, failure messages and events. */
class SchedulerIT {

    static LocalApiServer api;
    static KubernetesClient client;
    static Scheduler scheduler;

    @BeforeAll
    static void start() {
        api = LocalApiServer.start();
        client = api.client();
        TestObjects.create(client, TestObjects.node("node-1", "2", "4Gi", 110));
        TestObjects.create(client, TestObjects.node("node-2", "2", "4Gi", 110));
        var cordoned = TestObjects.node("node-3", "2", "4Gi", 110);
        cordoned.getSpec().setUnschedulable(true);
        TestObjects.create(client, cordoned);
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
    void placesPodsOnSchedulableNodesAndRecordsScheduled() {
        client.pods().resource(TestObjects.pod("web-1", "100m")).create();
        Await.until("web-1 is bound", () -> nodeOf("web-1") != null);
        assertThat(nodeOf("web-1")).isIn("node-1", "node-2");
        Pod pod = client.pods().withName("web-1").get();
        assertThat(pod.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("PodScheduled");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        Await.until("a Scheduled event", () -> events("web-1").stream().anyMatch(e -> e.getReason().equals("Scheduled")));
        Event scheduled = events("web-1").stream().filter(e -> e.getReason().equals("Scheduled")).findFirst().orElseThrow();
        assertThat(scheduled.getNote()).isEqualTo("Successfully assigned default/web-1 to " + nodeOf("web-1"));
        assertThat(scheduled.getType()).isEqualTo("Normal");
        assertThat(scheduled.getAction()).isEqualTo("Binding");
        assertThat(scheduled.getReportingController()).isEqualTo("default-scheduler");
    }

    @Test
    void tooLargePodFailsWithUpstreamMessageAndCondition() {
        client.pods().resource(TestObjects.pod("huge", "3")).create();
        String expected = "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. "
                + "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
                + "2 No preemption victims found for incoming pod.";
        Await.until("PodScheduled=False", () -> scheduledCondition("huge") != null
                && "False".equals(scheduledCondition("huge").getStatus()));
        PodCondition c = scheduledCondition("huge");
        assertThat(c.getReason()).isEqualTo("Unschedulable");
        assertThat(c.getMessage()).isEqualTo(expected);
        Await.until("a FailedScheduling event", () -> events("huge").stream()
                .anyMatch(e -> e.getReason().equals("FailedScheduling")));
        Event failed = events("huge").stream().filter(e -> e.getReason().equals("FailedScheduling")).findFirst()
                .orElseThrow();
        assertThat(failed.getNote()).isEqualTo(expected);
        assertThat(failed.getType()).isEqualTo("Warning");
        assertThat(nodeOf("huge")).isNull();
    }

    @Test
    void podsCreatedTogetherSeeEachOthersPlacementThroughTheAssumedCache() {
        for (int i = 0; i < 3; i++) {
            Pod pod = TestObjects.pod("spread-" + i, "10m");
            pod.getMetadata().setLabels(java.util.Map.of("app", "spread"));
            pod.getSpec().setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder().withNewPodAntiAffinity()
                    .addNewRequiredDuringSchedulingIgnoredDuringExecution().withNewLabelSelector()
                    .addToMatchLabels("app", "spread").endLabelSelector().withTopologyKey("kubernetes.io/hostname")
                    .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().build());
            client.pods().resource(pod).create();
        }
        Await.until("two spread pods are bound and one is refused", () -> {
            long bound = java.util.stream.IntStream.range(0, 3).filter(i -> nodeOf("spread-" + i) != null).count();
            long refused = java.util.stream.IntStream.range(0, 3).filter(i -> scheduledCondition("spread-" + i) != null
                    && "False".equals(scheduledCondition("spread-" + i).getStatus())).count();
            return bound == 2 && refused == 1;
        });
        assertThat(java.util.stream.IntStream.range(0, 3).mapToObj(i -> nodeOf("spread-" + i))
                .filter(java.util.Objects::nonNull)).containsExactlyInAnyOrder("node-1", "node-2");
        String pending = java.util.stream.IntStream.range(0, 3).mapToObj(i -> "spread-" + i)
                .filter(n -> nodeOf(n) == null).findFirst().orElseThrow();
        assertThat(scheduledCondition(pending).getMessage()).isEqualTo("0/3 nodes are available: "
                + "1 node(s) were unschedulable, 2 node(s) didn't match pod anti-affinity rules. preemption: "
                + "0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
                + "2 No preemption victims found for incoming pod.");
    }

    @Test
    void podsOfAnotherSchedulerAreLeftAlone() {
        Pod pod = TestObjects.pod("other", "10m");
        pod.getSpec().setSchedulerName("my-scheduler");
        client.pods().resource(pod).create();
        client.pods().resource(TestObjects.pod("after-other", "10m")).create();
        Await.until("after-other is bound", () -> nodeOf("after-other") != null);
        assertThat(nodeOf("other")).isNull();
    }

    static String nodeOf(String pod) {
        Pod p = client.pods().withName(pod).get();
        return p == null ? null : p.getSpec().getNodeName();
    }

    static PodCondition scheduledCondition(String pod) {
        Pod p = client.pods().withName(pod).get();
        if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) {
            return null;
        }
        return p.getStatus().getConditions().stream().filter(c -> c.getType().equals("PodScheduled")).findFirst()
                .orElse(null);
    }

    static List<Event> events(String pod) {
        return client.resources(Event.class).inNamespace("default").list().getItems().stream()
                .filter(e -> e.getRegarding() != null && pod.equals(e.getRegarding().getName())).toList();
    }
}
