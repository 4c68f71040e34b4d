package dev.konductor.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.framework.Informers;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A ReplicaSet controller that starts (a restart, a failover) where pods already run. */
class ReplicaSetControllerRestartTest {

    @Test
    void aControllerWhosePodCacheFillsLastCreatesNoSecondSetOfPods() throws Exception {
        try (LocalApiServer api = LocalApiServer.start()) {
            KubernetesClient client = api.client();
            try (Running first = new Running(client)) {
                first.informers.startAll(60_000);
                client.apps().replicaSets().inNamespace("default")
                        .resource(ReplicaSetControllerTest.replicaSet("web", 3)).create();
                Await.until("three pods, each with its event", () -> client.pods().inNamespace("default").list()
                        .getItems().size() == 3 && createdEvents(client) == 3);
            }
            List<String> original = client.pods().inNamespace("default").list().getItems().stream()
                    .map(p -> p.getMetadata().getUid()).toList();
            // a status the next controller must correct, so that its writing it shows it has synced the ReplicaSet
            // (retried on a conflict: the first controller's last status write may land after a read)
            Await.until("the status reads 0 replicas", () -> {
                ReplicaSet rs = client.apps().replicaSets().inNamespace("default").withName("web").get();
                try {
                    client.apps().replicaSets().inNamespace("default").resource(new ReplicaSetBuilder(rs).editStatus()
                            .withReplicas(0).endStatus().build()).updateStatus();
                    return true;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                    return false;
                }
            });

            try (Running second = new Running(client)) {
                // the ReplicaSet cache fills first, the Pod cache only later (as a slow list of many pods would)
                second.informers.of(ReplicaSet.class).start();
                Await.until("the ReplicaSet cache has listed", () -> second.informers.of(ReplicaSet.class).hasSynced());
                Thread.sleep(1000); // long enough for a controller that did not wait to have acted
                second.informers.startAll(60_000);
                Await.until("the new controller reports the pods it found", () -> client.apps().replicaSets()
                        .inNamespace("default").withName("web").get().getStatus().getReplicas() == 3);
                assertThat(createdEvents(client)).as("pods created in all").isEqualTo(3);
            }
            assertThat(client.pods().inNamespace("default").list().getItems()).extracting(p -> p.getMetadata().getUid())
                    .containsExactlyInAnyOrderElementsOf(original);
        }
    }

    private static long createdEvents(KubernetesClient client) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "SuccessfulCreate".equals(e.getReason())).count();
    }

    /** One run of the controller with informers of its own. */
    private static final class Running implements AutoCloseable {
        final Informers informers;
        final ControllerContext context;
        final ReplicaSetController controller = new ReplicaSetController();

        Running(KubernetesClient client) {
            informers = new Informers(client);
            context = new ControllerContext(client, informers, Clock.systemUTC(), ControllerSettings.defaults());
            controller.start(context);
        }

        @Override
        public void close() {
            controller.close();
            context.close();
            informers.close();
        }
    }
}
