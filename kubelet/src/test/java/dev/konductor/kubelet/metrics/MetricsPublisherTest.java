package dev.konductor.kubelet.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Reports reach a server that keeps readings in memory (its own store) and one that stores them
 * as objects (a store shared with other servers), and read back the same from both.
 */
class MetricsPublisherTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void aServerWithItsOwnStoreKeepsTheLatestReading() {
        try (LocalApiServer api = LocalApiServer.start()) {
            reportTwiceAndDelete(api.client());
        }
    }

    @Test
    void serversSharingAStoreStoreTheLatestReading() {
        try (LocalApiServer api = LocalApiServer.startAsIfShared()) {
            reportTwiceAndDelete(api.client());
        }
    }

    private static void reportTwiceAndDelete(KubernetesClient client) {
        MetricsPublisher publisher = new MetricsPublisher(client);
        Node node = new NodeBuilder().withNewMetadata().withName("n1").withUid("uid-n1").endMetadata().build();
        Pod pod = new PodBuilder().withNewMetadata().withNamespace("default").withName("web-1").withUid("uid-web-1")
                .addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("c").endContainer()
                .endSpec().build();
        for (String cores : new String[] {"0.1", "0.25"}) {
            Usage usage = new Usage(new BigDecimal(cores), new BigDecimal(64L << 20));
            publisher.write(MetricsObjects.nodeMetrics(node, usage, NOW, Duration.ofSeconds(15)));
            publisher.write(MetricsObjects.podMetrics(pod, Map.of("c", usage), NOW, Duration.ofSeconds(15)));
        }
        Supplier<GenericKubernetesResource> nodeReading = () -> client
                .genericKubernetesResources(MetricsPublisher.NODE_METRICS).withName("n1").get();
        Supplier<GenericKubernetesResource> podReading = () -> client
                .genericKubernetesResources(MetricsPublisher.POD_METRICS).inNamespace("default").withName("web-1").get();
        assertThat(nodeReading.get().<String>get("usage", "cpu")).isEqualTo("250m");
        assertThat(podReading.get().getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(podReading.get().getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(client.genericKubernetesResources(MetricsPublisher.POD_METRICS).inNamespace("default")
                .withLabel("app", "web").list().getItems()).hasSize(1);

        publisher.deletePodMetrics("default", "web-1");
        publisher.deletePodMetrics("default", "web-1"); // already gone: no error
        assertThat(podReading.get()).isNull();
    }
}
