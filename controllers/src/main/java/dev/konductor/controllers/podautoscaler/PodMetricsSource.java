package dev.konductor.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;

/**
 * metrics.k8s.io PodMetrics, as upstream's resource metrics client lists them: one namespace,
 * the scale target's label selector. An interface so that tests can hand in metrics directly.
 */
interface PodMetricsSource {

    ResourceDefinitionContext POD_METRICS = new ResourceDefinitionContext.Builder()
            .withGroup("metrics.k8s.io").withVersion("v1beta1").withPlural("pods").withKind("PodMetrics")
            .withNamespaced(true).build();

    List<PodMetrics> list(String namespace, String labelSelector);

    static PodMetricsSource of(KubernetesClient client) {
        return (namespace, labelSelector) -> {
            List<PodMetrics> out = new ArrayList<>();
            for (GenericKubernetesResource r : client.genericKubernetesResources(POD_METRICS).inNamespace(namespace)
                    .list(new ListOptionsBuilder().withLabelSelector(labelSelector).build()).getItems()) {
                out.add(client.getKubernetesSerialization().convertValue(r, PodMetrics.class));
            }
            return out;
        };
    }
}
