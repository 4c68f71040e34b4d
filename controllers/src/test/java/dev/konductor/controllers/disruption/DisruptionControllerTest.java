package dev.konductor.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.ControllerManager;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PDB status against a real API server, and the eviction API honouring it. */
class DisruptionControllerTest {

    @Test
    void statusFollowsPodsAndEvictionRespectsIt() {
        try (LocalApiServer api = LocalApiServer.start();
             ControllerManager manager = new ControllerManager(api.client(), "test",
                     () -> List.of(new DisruptionController()), ControllerSettings.defaults(), Clock.systemUTC())) {
            KubernetesClient client = api.client();
            manager.startWithoutElection();
            ReplicaSet rs = client.apps().replicaSets().resource(new ReplicaSetBuilder().withNewMetadata()
                    .withName("web").endMetadata().withNewSpec().withReplicas(3).withNewSelector()
                    .addToMatchLabels("app", "web").endSelector().withNewTemplate().withNewMetadata()
                    .addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("c")
                    .withImage("nginx").endContainer().endSpec().endTemplate().endSpec().build()).create();
            for (int i = 0; i < 3; i++) {
                createReadyPod(client, rs, "web-" + i);
            }
            client.policy().v1().podDisruptionBudget().resource(
                    new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder(
                            BudgetStatusTest.pdb(null, new IntOrString(1))).editMetadata().withGeneration(null)
                            .withNamespace(null).endMetadata().build()).create();

            Await.until("the budget allows one disruption", () -> {
                PodDisruptionBudget pdb = pdb(client);
                return pdb.getStatus() != null && Integer.valueOf(1).equals(pdb.getStatus().getDisruptionsAllowed());
            });
            PodDisruptionBudget pdb = pdb(client);
            assertThat(pdb.getStatus().getCurrentHealthy()).isEqualTo(3);
            assertThat(pdb.getStatus().getDesiredHealthy()).isEqualTo(2);
            assertThat(pdb.getStatus().getExpectedPods()).isEqualTo(3);
            assertThat(pdb.getStatus().getObservedGeneration()).isEqualTo(pdb.getMetadata().getGeneration());
            assertThat(pdb.getStatus().getConditions()).singleElement()
                    .satisfies(c -> assertThat(c.getReason()).isEqualTo("SufficientPods"));

            assertThat(client.pods().withName("web-0").evict()).as("first eviction").isTrue();
            assertThat(client.pods().withName("web-1").evict()).as("second eviction breaks the budget").isFalse();
            Await.until("the budget sees two healthy pods and allows nothing", () -> {
                PodDisruptionBudget now = pdb(client);
                return now.getStatus().getCurrentHealthy() == 2 && now.getStatus().getDisruptionsAllowed() == 0
                        && now.getStatus().getConditions().getFirst().getReason().equals("InsufficientPods");
            });
            assertThat(client.pods().withName("web-1").evict()).as("still refused").isFalse();

            createReadyPod(client, rs, "web-3");
            Await.until("a replacement pod allows a disruption again",
                    () -> pdb(client).getStatus().getDisruptionsAllowed() == 1);
            assertThat(client.pods().withName("web-1").evict()).isTrue();
        }
    }

    private static PodDisruptionBudget pdb(KubernetesClient client) {
        return client.policy().v1().podDisruptionBudget().withName("web").get();
    }

    private static void createReadyPod(KubernetesClient client, ReplicaSet owner, String name) {
        Pod created = client.pods().resource(new PodBuilder().withNewMetadata().withName(name)
                .addToLabels("app", "web").addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
                .endOwnerReference().endMetadata().withNewSpec().addNewContainer().withName("c").withImage("nginx")
                .endContainer().endSpec().build()).create();
        client.pods().resource(new PodBuilder(created).withNewStatus().withPhase("Running").addNewCondition()
                .withType("Ready").withStatus("True").endCondition().endStatus().build()).updateStatus();
    }
}
