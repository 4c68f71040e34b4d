package dev.konductor.scheduler;

import dev.konductor.scheduler.framework.PodWriter;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@link PodWriter} over the fabric8 client. */
final class ClientPodWriter implements PodWriter {

    private final KubernetesClient client;

    ClientPodWriter(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void bind(Pod pod, String node) {
        var binding = new BindingBuilder()
                .withNewMetadata().withName(pod.getMetadata().getName())
                .withNamespace(pod.getMetadata().getNamespace()).withUid(pod.getMetadata().getUid()).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(node).endTarget()
                .build();
        String url = client.getMasterUrl().toString().replaceAll("/+$", "") + "/api/v1/namespaces/"
                + encode(pod.getMetadata().getNamespace()) + "/pods/" + encode(pod.getMetadata().getName()) + "/binding";
        // raw() answers null for 404 and throws for the other failures
        if (client.raw(url, "POST", binding) == null) {
            throw new KubernetesClientException("pods \"" + pod.getMetadata().getName() + "\" not found", 404, null);
        }
    }

    @Override
    public void patchStatus(Pod pod, String patch) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
    }

    @Override
    public void delete(Pod pod) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
