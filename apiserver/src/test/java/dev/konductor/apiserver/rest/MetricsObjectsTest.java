package dev.konductor.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.apiserver.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** metrics.k8s.io objects, written by node agents, read as upstream's metrics-server serves them. */
@Timeout(60)
class MetricsObjectsTest {

    private static final ResourceDefinitionContext NODE_METRICS = new ResourceDefinitionContext.Builder()
            .withGroup("metrics.k8s.io").withVersion("v1beta1").withKind("NodeMetrics").withPlural("nodes")
            .withNamespaced(false).build();

    private static TestApiServer api;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        api = TestApiServer.start();
        client = api.client();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static GenericKubernetesResource nodeMetrics(String cpu) {
        return new GenericKubernetesResourceBuilder().withApiVersion("metrics.k8s.io/v1beta1").withKind("NodeMetrics")
                .withNewMetadata().withName("n1").endMetadata()
                .withAdditionalProperties(Map.of("timestamp", "2026-12-07T05:00:00Z", "window", "15s",
                        "usage", Map.of("cpu", cpu, "memory", "1Gi")))
                .build();
    }

    @Test
    void metricsCarryNoManagedFieldsAsMetricsServersDoNot() {
        client.genericKubernetesResources(NODE_METRICS).resource(nodeMetrics("100m")).create();
        GenericKubernetesResource updated = client.genericKubernetesResources(NODE_METRICS)
                .resource(nodeMetrics("250m")).update();
        assertThat(updated.getMetadata().getManagedFields()).isNullOrEmpty();

        GenericKubernetesResource read = client.genericKubernetesResources(NODE_METRICS).withName("n1").get();
        assertThat(read.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(read.<String>get("usage", "cpu")).isEqualTo("250m");

        // other kinds keep theirs
        ConfigMap map = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("m").endMetadata().addToData("k", "v").build()).create();
        assertThat(map.getMetadata().getManagedFields()).hasSize(1);
    }
}
