package dev.konductor.controllers.rootcacertpublisher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.framework.Informers;
import dev.konductor.controllers.framework.ClusterCa;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RootCaCertPublisherAgainstApiServerTest {

    static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";

    @Test
    void everyNamespaceGetsTheCaAndKeepsIt() throws Exception {
        try (LocalApiServer api = LocalApiServer.start()) {
            KubernetesClient client = api.client();
            try (Informers informers = new Informers(client);
                 ControllerContext context = new ControllerContext(client, informers, Clock.systemUTC(),
                         ControllerSettings.defaults());
                 RootCaCertPublisher publisher = new RootCaCertPublisher(PEM)) {
                publisher.start(context);
                informers.startAll(10_000);

                Await.until("kube-system gets the CA", () -> published(client, "kube-system"));
                ConfigMap cm = client.configMaps().inNamespace("kube-system").withName("kube-root-ca.crt").get();
                assertThat(cm.getMetadata().getAnnotations()).containsEntry("kubernetes.io/description",
                        RootCaCertPublisher.DESCRIPTION);

                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-b").endMetadata()
                        .build()).create();
                Await.until("a new namespace gets it", () -> published(client, "team-b"));

                client.configMaps().inNamespace("team-b").withName("kube-root-ca.crt").edit(c ->
                        new ConfigMapBuilder(c).withData(java.util.Map.of("ca.crt", "tampered")).build());
                Await.until("a tampered copy is repaired", () -> published(client, "team-b"));

                client.configMaps().inNamespace("team-b").withName("kube-root-ca.crt").delete();
                Await.until("a deleted copy is made again", () -> published(client, "team-b"));
            }
        }
    }

    @Test
    void theCaComesFromTheClientsKubeconfig() {
        String data = Base64.getEncoder().encodeToString(PEM.getBytes(StandardCharsets.UTF_8));
        assertThat(ClusterCa.pemOf(new ConfigBuilder().withCaCertData(data).build())).contains(PEM);
        assertThat(ClusterCa.pemOf(new ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                .withTrustCerts(true).build())).isEmpty();
    }

    private static boolean published(KubernetesClient client, String namespace) {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName("kube-root-ca.crt").get();
        return cm != null && PEM.equals(cm.getData().get("ca.crt"));
    }
}
