package dev.konductor.controllers.serviceaccount;

import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.framework.Informers;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Default ServiceAccounts end to end against a real API server. */
class ServiceAccountsControllerAgainstApiServerTest {

    @Test
    void everyActiveNamespaceGetsADefaultServiceAccountAgainAfterItsDeletion() throws Exception {
        try (LocalApiServer api = LocalApiServer.start()) {
            KubernetesClient client = api.client();
            // the fixture stands in for this controller until it runs: take its accounts away first
            for (String namespace : new String[] {"default", "kube-system"}) {
                client.serviceAccounts().inNamespace(namespace).withName("default").delete();
            }
            try (Informers informers = new Informers(client);
                 ControllerContext context = new ControllerContext(client, informers, Clock.systemUTC(),
                         ControllerSettings.defaults());
                 ServiceAccountsController controller = new ServiceAccountsController()) {
                controller.start(context);
                informers.startAll(10_000);

                Await.until("the bootstrap namespaces get theirs", () ->
                        client.serviceAccounts().inNamespace("default").withName("default").get() != null
                                && client.serviceAccounts().inNamespace("kube-system").withName("default").get() != null);

                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata()
                        .build()).create();
                Await.until("a new namespace gets one", () ->
                        client.serviceAccounts().inNamespace("team-a").withName("default").get() != null);

                String firstUid = client.serviceAccounts().inNamespace("team-a").withName("default").get()
                        .getMetadata().getUid();
                client.serviceAccounts().inNamespace("team-a").withName("default").delete();
                Await.until("a deleted one is made again", () -> {
                    var sa = client.serviceAccounts().inNamespace("team-a").withName("default").get();
                    return sa != null && !sa.getMetadata().getUid().equals(firstUid);
                });
            }
        }
    }
}
