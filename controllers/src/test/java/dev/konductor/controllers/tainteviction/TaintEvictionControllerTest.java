package dev.konductor.controllers.tainteviction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.framework.Informers;
import dev.konductor.controllers.framework.TestClock;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The taint manager against a real API server. Its clock stands still until the test moves it
 * past tolerationSeconds, so which pods stay depends on that clock alone, never on how long a
 * loaded machine takes between two steps of the test.
 */
class TaintEvictionControllerTest {

    /**
     * One worker takes keys in the order they were queued: once a pod queued last has gone, the
     * pods queued before it have been judged at the same clock reading.
     */
    private static final ControllerSettings ONE_WORKER = new ControllerSettings(Duration.ofSeconds(40),
            Duration.ofSeconds(5), 1);
    private static final Duration GENEROUSLY = Duration.ofSeconds(60);

    @Test
    void podsLeaveTaintedNodesAsTheirTolerationsSay() throws InterruptedException {
        TestClock clock = TestClock.stopped();
        try (LocalApiServer api = LocalApiServer.start()) {
            KubernetesClient client = api.client();
            for (String node : List.of("n1", "n2", "n3")) {
                client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build())
                        .create();
            }
            pod(client, "intolerant", "n1", null);
            pod(client, "brief", "n1", toleration(100L));
            pod(client, "patient", "n1", toleration(300L));
            pod(client, "forever", "n1", toleration(null));
            pod(client, "elsewhere", "n2", null);
            pod(client, "reprieved", "n2", toleration(300L));
            pod(client, "bystander", "n3", null);
            Informers informers = new Informers(client);
            TaintEvictionController controller = new TaintEvictionController();
            try (ControllerContext context = new ControllerContext(client, informers, clock, ONE_WORKER)) {
                controller.start(context);
                informers.startAll(30_000);
                tolerationsRunFromTheTaintAndEndWithIt(client, controller, clock);
            } finally {
                controller.close();
                informers.close();
            }
        }
    }

    private static void tolerationsRunFromTheTaintAndEndWithIt(KubernetesClient client,
                                                               TaintEvictionController controller, TestClock clock) {
        taint(client, "n1", true);
        taint(client, "n2", true);
        Await.until(GENEROUSLY, "pods not tolerating the taint go at once",
                () -> gone(client, "intolerant") && gone(client, "elsewhere"));
        Await.until(GENEROUSLY, "pods tolerating it for a while are due to go", () -> controller.evictionPending(
                "default/brief") && controller.evictionPending("default/patient")
                && controller.evictionPending("default/reprieved"));
        assertThat(List.of("brief", "patient", "forever", "reprieved")).as("no toleration has run out yet")
                .allMatch(name -> exists(client, name));

        taint(client, "n2", false);
        Await.until(GENEROUSLY, "the eviction is cancelled when the taint goes", () -> hasEvent(client,
                "Cancelling deletion of Pod default/reprieved"));
        assertThat(controller.evictionPending("default/reprieved")).isFalse();

        clock.advance(Duration.ofSeconds(200));
        controller.resync("default/patient");
        controller.resync("default/brief");
        Await.until(GENEROUSLY, "a pod tolerating the taint for 100 s goes after 200 s", () -> gone(client, "brief"));
        assertThat(exists(client, "patient")).as("a pod tolerating it for 300 s stays after 200 s").isTrue();

        clock.advance(Duration.ofSeconds(200));
        for (String name : List.of("reprieved", "forever", "bystander", "patient")) {
            controller.resync("default/" + name);
        }
        Await.until(GENEROUSLY, "a pod tolerating the taint for 300 s goes after 400 s", () -> gone(client, "patient"));
        assertThat(exists(client, "reprieved")).as("the taint went before the toleration ran out").isTrue();
        assertThat(exists(client, "forever")).as("a toleration without seconds holds forever").isTrue();
        assertThat(exists(client, "bystander")).as("an untainted node keeps its pods").isTrue();
        Await.until(GENEROUSLY, "each eviction is an event", () -> hasEvent(client,
                "Marking for deletion Pod default/intolerant") && hasEvent(client,
                "Marking for deletion Pod default/patient"));
        assertThat(client.v1().events().inNamespace("default").list().getItems())
                .filteredOn(e -> e.getMessage().startsWith("Marking for deletion"))
                .allSatisfy(e -> assertThat(e.getReason()).isEqualTo("TaintManagerEviction"))
                .noneSatisfy(e -> assertThat(e.getMessage()).containsAnyOf("reprieved", "forever", "bystander"));
    }

    private static Toleration toleration(Long seconds) {
        return new TolerationBuilder().withKey("example.com/broken").withOperator("Exists").withEffect("NoExecute")
                .withTolerationSeconds(seconds).build();
    }

    private static void taint(KubernetesClient client, String node, boolean on) {
        client.nodes().withName(node).edit(n -> new NodeBuilder(n).editOrNewSpec().withTaints(on
                ? List.of(new TaintBuilder().withKey("example.com/broken").withEffect("NoExecute").build())
                : List.of()).endSpec().build());
    }

    private static void pod(KubernetesClient client, String name, String node, Toleration toleration) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withNodeName(node)
                .addNewContainer().withName("c").withImage("nginx").endContainer().endSpec();
        if (toleration != null) {
            pod.editSpec().addToTolerations(toleration).endSpec();
        }
        client.pods().resource(pod.build()).create();
    }

    private static boolean hasEvent(KubernetesClient client, String message) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .anyMatch(e -> "TaintManagerEviction".equals(e.getReason()) && message.equals(e.getMessage()));
    }

    private static boolean exists(KubernetesClient client, String name) {
        Pod pod = client.pods().withName(name).get();
        return pod != null && pod.getMetadata().getDeletionTimestamp() == null;
    }

    private static boolean gone(KubernetesClient client, String name) {
        return !exists(client, name);
    }
}
