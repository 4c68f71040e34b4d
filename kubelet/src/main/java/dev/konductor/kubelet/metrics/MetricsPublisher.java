package dev.konductor.kubelet.metrics;

import dev.konductor.client.RawRequests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports PodMetrics and NodeMetrics ({@link MetricsObjects}) to the API server, which keeps the
 * latest of each in memory as upstream's metrics-server keeps its scrapes (upstream's
 * metrics-server scrapes the kubelets; here the node agents push): {@code kubectl top} and the HPA
 * controller read them from there. A report is one PUT, whether or not the server holds a reading
 * already (after its restart it holds none); servers that share an etcd store the readings as
 * objects instead, and there the first report of each is a create. One publisher per node agent
 * (real or simulated); thread-safe.
 */
public final class MetricsPublisher {

    public static final ResourceDefinitionContext POD_METRICS = new ResourceDefinitionContext.Builder()
            .withGroup("metrics.k8s.io").withVersion("v1beta1").withPlural("pods").withKind("PodMetrics")
            .withNamespaced(true).build();
    public static final ResourceDefinitionContext NODE_METRICS = new ResourceDefinitionContext.Builder()
            .withGroup("metrics.k8s.io").withVersion("v1beta1").withPlural("nodes").withKind("NodeMetrics")
            .withNamespaced(false).build();

    private static final String BASE = "/apis/metrics.k8s.io/v1beta1";

    private final RawRequests requests;
    private final KubernetesSerialization json;

    public MetricsPublisher(KubernetesClient client) {
        this.requests = new RawRequests(client);
        this.json = client.getKubernetesSerialization();
    }

    public void write(PodMetrics metrics) {
        put(BASE + "/namespaces/" + metrics.getMetadata().getNamespace() + "/pods/" + metrics.getMetadata().getName(),
                "PodMetrics", metrics);
    }

    public void write(NodeMetrics metrics) {
        put(BASE + "/nodes/" + metrics.getMetadata().getName(), "NodeMetrics", metrics);
    }

    public void deletePodMetrics(String namespace, String name) {
        RawRequests.Response response = requests.send("DELETE", BASE + "/namespaces/" + namespace + "/pods/" + name,
                null);
        if (!response.ok() && response.code() != 404) {
            throw failure("delete", response);
        }
    }

    private void put(String path, String kind, HasMetadata metrics) {
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = json.convertValue(metrics, Map.class);
        Map<String, Object> reading = new LinkedHashMap<>(fields);
        reading.put("apiVersion", "metrics.k8s.io/v1beta1");
        reading.put("kind", kind);
        String body = json.asJson(reading);
        RawRequests.Response response = requests.send("PUT", path, RawRequests.JSON, body);
        if (response.code() == 404) {
            // servers sharing an etcd store readings as objects: the first of each is created
            response = requests.send("POST", path.substring(0, path.lastIndexOf('/')), RawRequests.JSON, body);
            if (response.code() == 409) {
                response = requests.send("PUT", path, RawRequests.JSON, body);
            }
        }
        if (!response.ok()) {
            throw failure("write", response);
        }
    }

    private static KubernetesClientException failure(String what, RawRequests.Response response) {
        return new KubernetesClientException("cannot " + what + " metrics: HTTP " + response.code() + " "
                + response.body(), response.code(), null);
    }
}
