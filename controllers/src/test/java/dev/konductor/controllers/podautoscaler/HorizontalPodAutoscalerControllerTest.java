package dev.konductor.controllers.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.framework.Informers;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The controller end to end: a Deployment, its pods, PodMetrics written by the test and an
 * autoscaling/v2 HPA in a real API server; the controller scales the Deployment through /scale
 * and reports status and events.
 */
// a hang guard above the generous waits inside (Await.GENEROUS each)
@Timeout(300)
class HorizontalPodAutoscalerControllerTest {

    @Test
    void scalesADeploymentFromItsPodMetrics() throws Exception {
        try (LocalApiServer api = LocalApiServer.start()) {
            KubernetesClient client = api.client();
            client.apps().deployments().inNamespace("default").resource(new DeploymentBuilder().withNewMetadata()
                    .withName("web").endMetadata().withNewSpec().withReplicas(2).withNewSelector()
                    .addToMatchLabels("app", "web").endSelector().withNewTemplate().withNewMetadata()
                    .addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("app")
                    .withImage("nginx").withNewResources().addToRequests("cpu", new Quantity("100m")).endResources()
                    .endContainer().endSpec().endTemplate().endSpec().build()).create();
            String longAgo = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
            for (String name : new String[] {"web-a", "web-b"}) {
                Pod pod = client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
                        .withName(name).addToLabels("app", "web").endMetadata().withNewSpec().withNodeName("n1")
                        .addNewContainer().withName("app").withImage("nginx").withNewResources()
                        .addToRequests("cpu", new Quantity("100m")).endResources().endContainer().endSpec().build())
                        .create();
                client.pods().inNamespace("default").resource(new PodBuilder(pod).withNewStatus().withPhase("Running")
                        .withStartTime(longAgo).addNewCondition().withType("Ready").withStatus("True")
                        .withLastTransitionTime(longAgo).endCondition().endStatus().build()).updateStatus();
                GenericKubernetesResource metrics = client.getKubernetesSerialization().convertValue(
                        new PodMetricsBuilder().withApiVersion("metrics.k8s.io/v1beta1").withKind("PodMetrics")
                                .withNewMetadata().withName(name).withNamespace("default").addToLabels("app", "web")
                                .endMetadata().withTimestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                                .withWindow(new io.fabric8.kubernetes.api.model.Duration(java.time.Duration.ofSeconds(15)))
                                .addNewContainer().withName("app").addToUsage("cpu", new Quantity("200m")).endContainer()
                                .build(), GenericKubernetesResource.class);
                client.genericKubernetesResources(PodMetricsSource.POD_METRICS).inNamespace("default")
                        .resource(metrics).create();
            }
            client.resources(HorizontalPodAutoscaler.class).inNamespace("default").resource(
                    new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("web").endMetadata().withNewSpec()
                            .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("web")
                            .endScaleTargetRef().withMinReplicas(1).withMaxReplicas(10).addNewMetric()
                            .withType("Resource").withNewResource().withName("cpu").withNewTarget()
                            .withType("Utilization").withAverageUtilization(50).endTarget().endResource().endMetric()
                            .endSpec().build()).create();

            try (Informers informers = new Informers(client);
                 ControllerContext context = new ControllerContext(client, informers, Clock.systemUTC(),
                         ControllerSettings.defaults());
                 HorizontalPodAutoscalerController controller = new HorizontalPodAutoscalerController()) {
                controller.start(context);
                informers.startAll(10_000);

                Await.until("the deployment is scaled to 4", () -> client.apps().deployments().inNamespace("default")
                        .withName("web").get().getSpec().getReplicas() == 4);
                Await.until("the HPA status says so", () -> {
                    var status = client.resources(HorizontalPodAutoscaler.class).inNamespace("default")
                            .withName("web").get().getStatus();
                    return status != null && Integer.valueOf(4).equals(status.getDesiredReplicas());
                });
                HorizontalPodAutoscaler hpa = client.resources(HorizontalPodAutoscaler.class).inNamespace("default")
                        .withName("web").get();
                assertThat(hpa.getStatus().getCurrentReplicas()).isEqualTo(2);
                assertThat(hpa.getStatus().getLastScaleTime()).isNotNull();
                assertThat(hpa.getStatus().getCurrentMetrics().getFirst().getResource().getCurrent()
                        .getAverageUtilization()).isEqualTo(200);
                assertThat(hpa.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getReason())
                        .containsExactly("AbleToScale=SucceededRescale", "ScalingActive=ValidMetricFound",
                                "ScalingLimited=ScaleUpLimit");
                Await.until("the SuccessfulRescale event", () -> client.v1().events().inNamespace("default").list()
                        .getItems().stream().map(Event::getMessage).anyMatch(("New size: 4; reason: cpu resource"
                                + " utilization (percentage of request) above target")::equals));
            }
        }
    }
}
