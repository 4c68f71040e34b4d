package dev.konductor.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.apiserver.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Writes through {@code pods/status}: the status and metadata are taken and checked, the spec is the stored one. */
@Timeout(60)
class StatusWritesTest {

    private static TestApiServer api;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        api = TestApiServer.start();
        client = api.client();
        api.createDefaultServiceAccount("default");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static Pod createPod(String name) {
        return client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName("n1").addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().build()).create();
    }

    @Test
    void aStatusPatchWritesTheStatusAndLeavesTheSpecAsStored() {
        createPod("running");
        client.pods().inNamespace("default").withName("running").subresource("status").patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"other\"}]},"
                        + "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.0.0.7\"}}");

        Pod pod = client.pods().inNamespace("default").withName("running").get();
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        assertThat(pod.getStatus().getPodIP()).isEqualTo("10.0.0.7");
        assertThat(pod.getSpec().getContainers().getFirst().getImage()).isEqualTo("busybox");
    }

    @Test
    void aStatusWriteWithInvalidMetadataIsRefusedAndChangesNothing() {
        Pod pod = createPod("labelled");
        Pod invalid = new PodBuilder(pod).editMetadata().addToLabels("bad label", "x").endMetadata()
                .withStatus(new PodStatusBuilder().withPhase("Running").build()).build();

        assertThatThrownBy(() -> client.pods().inNamespace("default").resource(invalid).updateStatus())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(cause ->
                            assertThat(cause.getField()).isEqualTo("metadata.labels"));
                });
        Pod stored = client.pods().inNamespace("default").withName("labelled").get();
        assertThat(stored.getMetadata().getLabels()).doesNotContainKey("bad label");
        assertThat(stored.getStatus().getPhase()).isEqualTo("Pending");
    }
}
