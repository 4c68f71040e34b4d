package dev.konductor.kubelet.metrics;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes PodMetrics and NodeMetrics ({@link MetricsObjects}) through the API server, where
 * Konductor keeps them as ordinary objects (upstream's metrics-server serves them from memory
 * behind API aggregation): {@code kubectl top} and the HPA controller read them from there. One
 * publisher per node agent (real or simulated); thread-safe.
 */
public final class MetricsPublisher {

    public static final ResourceDefinitionContext POD_METRICS = new ResourceDefinitionContext.Builder()
            .withGroup("metrics.k8s.io").withVersion("v1beta1").withPlural("pods").withKind("PodMetrics")
            .withNamespaced(true).build();
    public static final ResourceDefinitionContext NODE_METRICS = new ResourceDefinitionContext.Builder()
            .withGroup("metrics.k8s.io").withVersion("v1beta1").withPlural("nodes").withKind("NodeMetrics")
            .withNamespaced(false).build();

    private final KubernetesClient client;
    /** Keys of metrics objects this publisher knows to exist, so a report is one PUT, not POST then PUT. */
    private final Set<String> existing = ConcurrentHashMap.newKeySet();

    public MetricsPublisher(KubernetesClient client) {
        this.client = client;
    }

    public void write(PodMetrics metrics) {
        upsert(POD_METRICS, metrics);
    }

    public void write(NodeMetrics metrics) {
        upsert(NODE_METRICS, metrics);
    }

    public void deletePodMetrics(String namespace, String name) {
        existing.remove(key(POD_METRICS, namespace, name));
        try {
            client.genericKubernetesResources(POD_METRICS).inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void upsert(ResourceDefinitionContext context, HasMetadata metrics) {
        GenericKubernetesResource generic = client.getKubernetesSerialization()
                .convertValue(metrics, GenericKubernetesResource.class);
        generic.setApiVersion("metrics.k8s.io/v1beta1");
        generic.setKind(context.getKind());
        String namespace = metrics.getMetadata().getNamespace();
        String key = key(context, namespace, metrics.getMetadata().getName());
        var resources = client.genericKubernetesResources(context);
        var op = namespace == null ? resources.resource(generic) : resources.inNamespace(namespace).resource(generic);
        if (existing.contains(key)) {
            try {
                op.update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                existing.remove(key);
            }
        }
        try {
            op.create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            op.update();
        }
        existing.add(key);
    }

    private static String key(ResourceDefinitionContext context, String namespace, String name) {
        return context.getPlural() + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }
}
