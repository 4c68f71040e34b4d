package dev.konductor.controllers.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.ControllerManager;
import dev.konductor.controllers.endpoints.DesiredEndpointsTest;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EndpointSlice controller against a real API server. */
class EndpointSliceControllerTest {

    @Test
    void slicesFollowPodsAndSplitAtTheLimit() {
        try (LocalApiServer api = LocalApiServer.start();
             ControllerManager manager = new ControllerManager(api.client(), "test",
                     () -> List.of(new EndpointSliceController(2)), ControllerSettings.defaults(), Clock.systemUTC())) {
            KubernetesClient client = api.client();
            manager.startWithoutElection();
            client.services().resource(new ServiceBuilder(DesiredEndpointsTest.service("web", false,
                    new IntOrString("web"))).editSpec().withClusterIP(null).endSpec().build()).create();

            Await.until("a placeholder slice for a service without pods", () -> slices(client).size() == 1
                    && slices(client).getFirst().getEndpoints().isEmpty());
            EndpointSlice placeholder = slices(client).getFirst();
            assertThat(placeholder.getMetadata().getName()).matches("web-[a-z0-9]{5}");
            assertThat(placeholder.getMetadata().getOwnerReferences().getFirst().getKind()).isEqualTo("Service");

            for (int i = 0; i < 3; i++) {
                createPod(client, DesiredEndpointsTest.pod("p" + i, "10.0.0." + (10 + i), i != 1));
            }
            Await.until("three endpoints in two slices", () -> slices(client).size() == 2 && endpoints(client) == 3);
            EndpointSlice withP1 = slices(client).stream().filter(s -> s.getEndpoints().stream()
                    .anyMatch(e -> e.getTargetRef().getName().equals("p1"))).findFirst().orElseThrow();
            assertThat(withP1.getEndpoints().stream().filter(e -> e.getTargetRef().getName().equals("p1")).findFirst()
                    .orElseThrow().getConditions().getReady()).isFalse();
            assertThat(withP1.getAddressType()).isEqualTo("IPv4");
            assertThat(withP1.getPorts().getFirst().getPort()).isEqualTo(8080);

            client.pods().withName("p0").withGracePeriod(0).delete();
            client.pods().withName("p2").withGracePeriod(0).delete();
            Await.until("one endpoint left in one slice", () -> slices(client).size() == 1 && endpoints(client) == 1);
            Thread.sleep(300);
            assertThat(slices(client)).as("no duplicates from a stale cache").hasSize(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<EndpointSlice> slices(KubernetesClient client) {
        return client.discovery().v1().endpointSlices().withLabel("kubernetes.io/service-name", "web")
                .withLabel("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
                .list().getItems();
    }

    private static int endpoints(KubernetesClient client) {
        return slices(client).stream().mapToInt(s -> s.getEndpoints().size()).sum();
    }

    private static void createPod(KubernetesClient client, Pod pod) {
        Pod created = client.pods().resource(new PodBuilder(pod).withStatus(null).build()).create();
        client.pods().resource(new PodBuilder(created).withStatus(pod.getStatus()).build()).updateStatus();
    }
}
