package dev.konductor.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalClientsTest {

    @TempDir
    Path dir;

    @Test
    void aComponentNamesItselfInItsUserAgentSoItsWritesShowItsName() throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig.yaml");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """);

        try (KubernetesClient scheduler = LocalClients.fromKubeconfig(kubeconfig, "kube-scheduler");
             KubernetesClient other = LocalClients.fromKubeconfig(kubeconfig)) {
            // the API server takes what comes before the first '/' as the field manager
            assertThat(scheduler.getConfiguration().getUserAgent()).startsWith("kube-scheduler/");
            assertThat(other.getConfiguration().getUserAgent()).startsWith("konductor/");
        }
    }

    @Test
    void componentsReadObjectsWithoutTheirManagedFieldsAndWriteThemWithoutToo() {
        String pod = """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","resourceVersion":"7",\
                "labels":{"app":"web"},"managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"v1",\
                "fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}}]},"spec":{"containers":[{"name":"c"}]}}""";

        Pod read = LocalClients.SERIALIZATION.unmarshal(pod, Pod.class);
        WatchEvent event = LocalClients.SERIALIZATION.unmarshal("{\"type\":\"ADDED\",\"object\":" + pod + "}",
                WatchEvent.class);

        for (Pod p : new Pod[] {read, (Pod) event.getObject()}) {
            assertThat(p.getMetadata().getManagedFields()).isEmpty();
            assertThat(p.getMetadata().getAdditionalProperties()).doesNotContainKey("managedFields");
            assertThat(p.getMetadata().getLabels()).containsEntry("app", "web");
            assertThat(p.getMetadata().getResourceVersion()).isEqualTo("7");
        }
        // an update without them keeps the stored ones
        assertThat(LocalClients.SERIALIZATION.asJson(read)).doesNotContain("managedFields").contains("\"app\":\"web\"");
    }
}
