package dev.konductor.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scoring strategy comes from the KubeSchedulerConfiguration file given in the settings. */
class ScoringStrategyIT {

    @Test
    void mostAllocatedPacksPodsOntoTheBusyNode(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("scheduler.yaml");
        Files.writeString(config, """
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                profiles:
                - schedulerName: default-scheduler
                  pluginConfig:
                  - name: NodeResourcesFit
                    args:
                      scoringStrategy:
                        type: MostAllocated
                """);
        try (LocalApiServer api = LocalApiServer.start()) {
            KubernetesClient client = api.client();
            TestObjects.create(client, TestObjects.node("busy", "2", "4Gi", 110));
            TestObjects.create(client, TestObjects.node("empty", "2", "4Gi", 110));
            Pod existing = TestObjects.pod("existing", "1");
            existing.getSpec().getContainers().get(0).getResources().getRequests().put("memory", new Quantity("2Gi"));
            existing.getSpec().setNodeName("busy");
            client.pods().resource(existing).create();
            try (Scheduler scheduler = new Scheduler(api.client(), new SchedulerSettings("test", Optional.of(config)))) {
                scheduler.start();
                for (int i = 0; i < 3; i++) {
                    Pod p = TestObjects.pod("packed-" + i, "100m");
                    p.getSpec().getContainers().get(0).getResources().getRequests().put("memory", new Quantity("200Mi"));
                    client.pods().resource(p).create();
                }
                Await.until("the pods are bound", () -> client.pods().list().getItems().stream()
                        .allMatch(p -> p.getSpec().getNodeName() != null));
                assertThat(client.pods().list().getItems()).allSatisfy(p ->
                        assertThat(p.getSpec().getNodeName()).isEqualTo("busy"));
            }
        }
    }
}
