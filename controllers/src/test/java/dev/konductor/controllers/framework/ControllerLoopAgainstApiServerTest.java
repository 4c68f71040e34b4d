package dev.konductor.controllers.framework;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The framework end to end: informer → handler → queue → reconcile → write, against a real API server. */
class ControllerLoopAgainstApiServerTest {

    @Test
    void aReconcilerSeesObjectsAndWritesBack() throws Exception {
        try (LocalApiServer api = LocalApiServer.start()) {
            KubernetesClient client = api.client();
            try (Informers informers = new Informers(client);
                 ControllerContext context = new ControllerContext(client, informers, Clock.systemUTC(),
                         ControllerSettings.defaults())) {
                Lister<ConfigMap> configMaps = informers.lister(ConfigMap.class);
                ControllerLoop loop = new ControllerLoop("stamp", key -> {
                    configMaps.get(key).filter(cm -> cm.getData() == null || !cm.getData().containsKey("seen"))
                            .ifPresent(cm -> {
                                client.configMaps().inNamespace(cm.getMetadata().getNamespace())
                                        .withName(cm.getMetadata().getName())
                                        .edit(c -> new ConfigMapBuilder(c).addToData("seen", "yes").build());
                                context.events("stamp").normal(cm, "Stamped", "stamped " + cm.getMetadata().getName());
                            });
                    return Reconciler.Result.done();
                }, 2);
                informers.of(ConfigMap.class).addEventHandler(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(ConfigMap obj) {
                        loop.enqueue(Keys.of(obj));
                    }

                    @Override
                    public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                        loop.enqueue(Keys.of(newObj));
                    }

                    @Override
                    public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                    }
                });
                loop.start(informers::synced);
                informers.startAll(10_000);

                client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                        .withName("one").endMetadata().addToData("a", "b").build()).create();

                Await.until("the reconciler stamps the ConfigMap", () -> "yes".equals(
                        client.configMaps().inNamespace("default").withName("one").get().getData().get("seen")));
                Await.until("the event is recorded", () -> client.v1().events().inNamespace("default").list()
                        .getItems().stream().anyMatch(e -> e.getReason().equals("Stamped")));
                assertThat(informers.synced()).isTrue();
                loop.close();
            }
        }
    }
}
