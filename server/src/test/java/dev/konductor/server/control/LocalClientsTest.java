package dev.konductor.server.control;

import static org.assertj.core.api.Assertions.assertThat;

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
}
