package dev.konductor.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.ApiDiscovery;
import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The collector's monitors against a real API server. */
class MonitorsTest {

    private static final Monitors.Listener IGNORE = new Monitors.Listener() {
        @Override
        public void added(ApiResource resource, GenericKubernetesResource obj) {
        }

        @Override
        public void updated(ApiResource resource, GenericKubernetesResource old, GenericKubernetesResource obj) {
        }

        @Override
        public void deleted(ApiResource resource, GenericKubernetesResource obj) {
        }
    };

    @Test
    void monitorsHoldMetadataOnlyAsUpstreamsMetadataInformersDo() {
        try (LocalApiServer api = LocalApiServer.start(); Monitors monitors = new Monitors(api.client(), IGNORE)) {
            monitors.sync(ApiDiscovery.preferredResources(api.client()));
            Await.until(Duration.ofSeconds(60), "every monitor has listed", monitors::synced);
            api.client().pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("p")
                    .addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("c")
                    .withImage("busybox").endContainer().endSpec().build()).create();
            ApiResource pods = monitors.resource("", "pods").orElseThrow();
            ObjectRef ref = ObjectRef.of(pods, "default", "p");

            Await.until(Duration.ofSeconds(60), "the pod reaches the monitor", () -> monitors.get(ref).isPresent());
            GenericKubernetesResource cached = monitors.get(ref).orElseThrow();

            assertThat(cached.getKind()).isEqualTo("PartialObjectMetadata");
            assertThat(cached.getApiVersion()).isEqualTo("meta.k8s.io/v1");

            assertThat(cached.getMetadata().getLabels()).containsEntry("app", "web");
            assertThat(cached.getMetadata().getUid()).isNotBlank();
            assertThat(cached.getAdditionalProperties()).doesNotContainKeys("spec", "status");
            assertThat(monitors.get(ObjectRef.of(pods, "default", "missing"))).isEmpty();
        }
    }
}
