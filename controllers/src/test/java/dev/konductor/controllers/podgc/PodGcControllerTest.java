package dev.konductor.controllers.podgc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.ControllerManager;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pod garbage collector against a real API server. */
class PodGcControllerTest {

    @Test
    void orphansGoAfterQuarantineAndFinishedPodsBeyondTheThreshold() throws Exception {
        PodGcSettings quick = new PodGcSettings(2, Duration.ofMillis(200), Duration.ofSeconds(1));
        try (LocalApiServer api = LocalApiServer.start();
             ControllerManager manager = new ControllerManager(api.client(), "test",
                     () -> List.of(new PodGcController(quick)), ControllerSettings.defaults(), Clock.systemUTC())) {
            KubernetesClient client = api.client();
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).create();
            pod(client, "running", "n1", "Running");
            pod(client, "orphan", "ghost", "Running");
            for (int i = 0; i < 4; i++) {
                pod(client, "done-" + i, "n1", "Succeeded");
            }
            manager.startWithoutElection();
            long started = System.nanoTime();

            Await.until("the pod on a missing node goes", () -> client.pods().withName("orphan").get() == null);
            assertThat((System.nanoTime() - started) / 1_000_000).as("after the quarantine").isGreaterThanOrEqualTo(900);
            Await.until("finished pods are cut to the threshold", () -> client.pods().list().getItems().stream()
                    .filter(p -> p.getStatus().getPhase().equals("Succeeded")).count() == 2);
            Thread.sleep(500);
            assertThat(client.pods().withName("running").get()).isNotNull();
            assertThat(client.pods().list().getItems()).hasSize(3);
        }
    }

    private static void pod(KubernetesClient client, String name, String node, String phase) {
        Pod created = client.pods().resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("nginx").endContainer()
                .endSpec().build()).create();
        client.pods().resource(new PodBuilder(created).withNewStatus().withPhase(phase).endStatus().build())
                .updateStatus();
    }
}
