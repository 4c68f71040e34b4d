package dev.konductor.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.apiserver.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pod's {@code ephemeralcontainers} subresource, as {@code kubectl debug} uses it. */
@Timeout(60)
class EphemeralContainersTest {

    private static final String SMP = "application/strategic-merge-patch+json";

    private static TestApiServer api;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        api = TestApiServer.start();
        api.createDefaultServiceAccount("default");
        client = api.client();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static Pod pod(String name) {
        return client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name)
                .withLabels(java.util.Map.of("app", "web")).endMetadata().withNewSpec().addNewContainer().withName("web")
                .withImage("busybox").endContainer().endSpec().build()).create();
    }

    private static TestApiServer.Response patch(String name, String body) {
        return api.request("PATCH", "/api/v1/namespaces/default/pods/" + name + "/ephemeralcontainers",
                "application/json", SMP, body);
    }

    private static String debugger(String name, String extra) {
        return "{\"spec\":{\"ephemeralContainers\":[{\"name\":\"" + name + "\",\"image\":\"busybox\","
                + "\"targetContainerName\":\"web\",\"stdin\":true,\"resources\":{}" + extra + "}]}}";
    }

    @Test
    void kubectlDebugAddsAContainerAndNothingElseOfThePatchLands() {
        pod("web-1");
        TestApiServer.Response added = patch("web-1",
                "{\"metadata\":{\"labels\":{\"app\":\"other\"}},\"spec\":{\"activeDeadlineSeconds\":5,"
                        + debugger("debugger", "").substring("{\"spec\":{".length()));
        assertThat(added.status()).as(added.body()).isEqualTo(200);

        Pod read = client.pods().inNamespace("default").withName("web-1").get();
        assertThat(read.getSpec().getEphemeralContainers()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("debugger");
            assertThat(c.getTargetContainerName()).isEqualTo("web");
            assertThat(c.getImagePullPolicy()).isEqualTo("Always"); // defaulted as any container
        });
        assertThat(read.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(read.getSpec().getActiveDeadlineSeconds()).isNull();
        assertThat(api.get("/api/v1/namespaces/default/pods/web-1/ephemeralcontainers").body())
                .contains("\"kind\":\"Pod\"").contains("\"debugger\"");

        // a second one merges in by name (kubectl names the order); the first may be neither changed nor removed
        assertThat(patch("web-1", debugger("debugger-2", "").replace("{\"spec\":{",
                "{\"spec\":{\"$setElementOrder/ephemeralContainers\":[{\"name\":\"debugger\"},{\"name\":\"debugger-2\"}],"))
                .status()).isEqualTo(200);
        assertThat(client.pods().inNamespace("default").withName("web-1").get().getSpec().getEphemeralContainers())
                .extracting(c -> c.getName()).containsExactly("debugger", "debugger-2");
        TestApiServer.Response changed = patch("web-1", debugger("debugger", ",\"image\":\"alpine\""));
        assertThat(changed.status()).isEqualTo(422);
        assertThat(changed.body()).contains("existing ephemeral containers \\\"debugger\\\" may not be changed");
    }

    @Test
    void badEphemeralContainersAreRefusedAndChangeNothing() {
        pod("web-2");
        TestApiServer.Response refused = patch("web-2", debugger("web", ",\"ports\":[{\"containerPort\":80}]"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("spec.ephemeralContainers[0].name: Duplicate value: \\\"web\\\"")
                .contains("spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container");
        assertThat(client.pods().inNamespace("default").withName("web-2").get().getSpec().getEphemeralContainers())
                .isNullOrEmpty();

        // nor through the pod itself, nor on create
        TestApiServer.Response viaPod = api.request("PATCH", "/api/v1/namespaces/default/pods/web-2", "application/json",
                SMP, debugger("debugger", ""));
        assertThat(viaPod.status()).isEqualTo(422);
        TestApiServer.Response onCreate = api.request("POST", "/api/v1/namespaces/default/pods", "application/json",
                "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-3\"},"
                        + "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"busybox\"}],"
                        + "\"ephemeralContainers\":[{\"name\":\"d\",\"image\":\"busybox\"}]}}");
        assertThat(onCreate.status()).isEqualTo(422);
        assertThat(onCreate.body()).contains("spec.ephemeralContainers: Forbidden: cannot be set on create");
    }
}
