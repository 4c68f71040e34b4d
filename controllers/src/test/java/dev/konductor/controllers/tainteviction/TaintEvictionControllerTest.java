package dev.konductor.controllers.tainteviction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.ControllerManager;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The taint manager against a real API server. */
class TaintEvictionControllerTest {

    @Test
    void podsLeaveTaintedNodesAsTheirTolerationsSay() throws Exception {
        try (LocalApiServer api = LocalApiServer.start();
             ControllerManager manager = new ControllerManager(api.client(), "test",
                     () -> List.of(new TaintEvictionController()), ControllerSettings.defaults(), Clock.systemUTC())) {
            KubernetesClient client = api.client();
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).create();
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n2").endMetadata().build()).create();
            pod(client, "intolerant", "n1", null);
            pod(client, "patient", "n1", toleration(2L));
            pod(client, "forever", "n1", toleration(null));
            pod(client, "elsewhere", "n2", null);
            pod(client, "reprieved", "n2", toleration(3L));
            manager.startWithoutElection();
            Thread.sleep(500);
            assertThat(client.pods().list().getItems()).as("untainted nodes keep their pods").hasSize(5);

            long tainted = System.nanoTime();
            taint(client, "n1", true);
            taint(client, "n2", true);
            Await.until("a pod not tolerating the taint goes at once", () -> gone(client, "intolerant")
                    && gone(client, "elsewhere"));
            assertThat(exists(client, "patient")).isTrue();
            Await.until("a pod tolerating it for 2 s goes after that", () -> gone(client, "patient"));
            assertThat((System.nanoTime() - tainted) / 1_000_000).isGreaterThanOrEqualTo(1900);

            taint(client, "n2", false);
            Thread.sleep(3500);
            assertThat(exists(client, "reprieved")).as("the taint went before the toleration ran out").isTrue();
            assertThat(exists(client, "forever")).isTrue();
            assertThat(client.v1().events().inNamespace("default").list().getItems()).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("TaintManagerEviction");
                assertThat(e.getMessage()).isEqualTo("Marking for deletion Pod default/intolerant");
            }).anySatisfy(e -> assertThat(e.getMessage()).isEqualTo("Cancelling deletion of Pod default/reprieved"));
        }
    }

    private static Toleration toleration(Long seconds) {
        return new TolerationBuilder().withKey("example.com/broken").withOperator("Exists").withEffect("NoExecute")
                .withTolerationSeconds(seconds).build();
    }

    private static void taint(KubernetesClient client, String node, boolean on) {
        client.nodes().withName(node).edit(n -> new NodeBuilder(n).editOrNewSpec().withTaints(on
                ? List.of(new io.fabric8.kubernetes.api.model.TaintBuilder().withKey("example.com/broken")
                .withEffect("NoExecute").build()) : List.of()).endSpec().build());
    }

    private static void pod(KubernetesClient client, String name, String node, Toleration toleration) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withNodeName(node)
                .addNewContainer().withName("c").withImage("nginx").endContainer().endSpec();
        if (toleration != null) {
            pod.editSpec().addToTolerations(toleration).endSpec();
        }
        client.pods().resource(pod.build()).create();
    }

    private static boolean exists(KubernetesClient client, String name) {
        Pod pod = client.pods().withName(name).get();
        return pod != null && pod.getMetadata().getDeletionTimestamp() == null;
    }

    private static boolean gone(KubernetesClient client, String name) {
        return !exists(client, name);
    }
}
