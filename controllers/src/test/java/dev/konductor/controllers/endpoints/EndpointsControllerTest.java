package dev.konductor.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.ControllerManager;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The endpoints controller against a real API server. */
class EndpointsControllerTest {

    @Test
    void endpointsFollowPodsReadinessAndTheServiceLifecycle() {
        try (LocalApiServer api = LocalApiServer.start();
             ControllerManager manager = new ControllerManager(api.client(), "test",
                     () -> List.of(new EndpointsController()), ControllerSettings.defaults(), Clock.systemUTC())) {
            KubernetesClient client = api.client();
            manager.startWithoutElection();
            Service service = client.services().resource(new ServiceBuilder(
                    DesiredEndpointsTest.service("web", false, new IntOrString("web"))).editSpec().withClusterIP(null)
                    .endSpec().editMetadata().addToLabels("tier", "front").endMetadata().build()).create();
            client.services().resource(new ServiceBuilder().withNewMetadata().withName("manual").endMetadata()
                    .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
            createPod(client, DesiredEndpointsTest.pod("a", "10.0.0.9", true));
            createPod(client, DesiredEndpointsTest.pod("b", "10.0.0.10", false));

            Await.until("Endpoints with one ready and one not-ready address", () -> {
                Endpoints ep = client.endpoints().withName("web").get();
                return ep != null && ips(ep.getSubsets().getFirst().getAddresses()).equals(List.of("10.0.0.9"))
                        && ips(ep.getSubsets().getFirst().getNotReadyAddresses()).equals(List.of("10.0.0.10"));
            });
            Endpoints ep = client.endpoints().withName("web").get();
            assertThat(ep.getMetadata().getLabels()).containsEntry("tier", "front")
                    .doesNotContainKey("endpoints.kubernetes.io/managed-by");
            assertThat(ep.getSubsets().getFirst().getPorts().getFirst().getPort()).isEqualTo(8080);
            assertThat(ep.getMetadata().getAnnotations()).containsKey(EndpointsController.TRIGGER_TIME);

            client.pods().withName("b").editStatus(p -> new PodBuilder(p).editStatus().editFirstCondition()
                    .withStatus("True").endCondition().endStatus().build());
            Await.until("the pod turning Ready moves to addresses", () -> {
                Endpoints now = client.endpoints().withName("web").get();
                return ips(now.getSubsets().getFirst().getAddresses()).equals(List.of("10.0.0.9", "10.0.0.10"))
                        && now.getSubsets().getFirst().getNotReadyAddresses().isEmpty();
            });

            client.pods().withName("a").withGracePeriod(0).delete();
            Await.until("a deleted pod leaves", () -> ips(client.endpoints().withName("web").get().getSubsets()
                    .getFirst().getAddresses()).equals(List.of("10.0.0.10")));

            client.endpoints().withName("web").delete();
            Await.until("deleted Endpoints come back", () -> client.endpoints().withName("web").get() != null
                    && client.endpoints().withName("web").get().getSubsets() != null);

            client.services().resource(service).delete();
            Await.until("Endpoints go with their Service", () -> client.endpoints().withName("web").get() == null);
            assertThat(client.endpoints().withName("manual").get()).as("a service without selector is left alone")
                    .isNull();
        }
    }

    private static void createPod(KubernetesClient client, Pod pod) {
        Pod created = client.pods().resource(new PodBuilder(pod).withStatus(null).build()).create();
        client.pods().resource(new PodBuilder(created).withStatus(pod.getStatus()).build()).updateStatus();
    }

    private static List<String> ips(List<EndpointAddress> addresses) {
        return addresses == null ? List.of() : addresses.stream().map(EndpointAddress::getIp).toList();
    }
}
