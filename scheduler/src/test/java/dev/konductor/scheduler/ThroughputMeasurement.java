package dev.konductor.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Scheduling throughput against LocalApiServer: 1000 pending pods on 100 nodes, timed from the
 * moment the scheduler leads until every pod is bound. A measurement, not a test: it runs only
 * with {@code -Dkonductor.measure=true} and asserts nothing about time.
 */
@EnabledIfSystemProperty(named = "konductor.measure", matches = "true")
class ThroughputMeasurement {

    @Test
    void thousandPodsOnHundredNodes() throws Exception {
        try (LocalApiServer api = LocalApiServer.start()) {
            KubernetesClient client = api.client();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                IntStream.range(0, 100).forEach(i -> pool.submit(() ->
                        TestObjects.create(client, TestObjects.node("node-" + i, "32", "128Gi", 110))));
            }
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                IntStream.range(0, 1000).forEach(i -> pool.submit(() ->
                        client.pods().resource(TestObjects.pod("pod-" + i, "100m")).create()));
            }
            assertThat(client.pods().list().getItems()).hasSize(1000);
            try (Scheduler scheduler = new Scheduler(api.client(), new SchedulerSettings("bench", Optional.empty()))) {
                scheduler.start();
                Await.until("the scheduler leads", scheduler::leading);
                long start = System.nanoTime();
                Await.until(Duration.ofMinutes(5), "every pod is bound", () -> client.pods().list().getItems().stream()
                        .allMatch(p -> p.getSpec().getNodeName() != null));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("THROUGHPUT: 1000 pods on 100 nodes bound in %.2f s = %.0f pods/s%n", seconds,
                        1000 / seconds);
                long perNode = client.pods().list().getItems().stream()
                        .collect(java.util.stream.Collectors.groupingBy(p -> p.getSpec().getNodeName(),
                                java.util.stream.Collectors.counting())).values().stream().mapToLong(Long::longValue)
                        .max().orElse(0);
                System.out.println("THROUGHPUT: most pods on one node: " + perNode);
            }
        }
    }
}
