package dev.konductor.controllers.garbagecollector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.client.RawRequests;
import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link GcApi} through the API client; writes are JSON merge patches carrying the resourceVersion. */
final class ApiGcClient implements GcApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final RawRequests raw;

    ApiGcClient(KubernetesClient client) {
        this.client = client;
        this.raw = new RawRequests(client);
    }

    @Override
    public Optional<GenericKubernetesResource> get(ApiResource resource, String namespace, String name) {
        var op = client.genericKubernetesResources(resource.context());
        GenericKubernetesResource found = resource.namespaced()
                ? op.inNamespace(namespace).withName(name).get() : op.withName(name).get();
        return Optional.ofNullable(found);
    }

    @Override
    public void delete(ApiResource resource, String namespace, String name, String uid, String propagationPolicy) {
        ObjectNode options = JSON.createObjectNode();
        options.put("kind", "DeleteOptions");
        options.put("apiVersion", "v1");
        options.put("propagationPolicy", propagationPolicy);
        options.putObject("preconditions").put("uid", uid);
        RawRequests.Response response = raw.send("DELETE", resource.path(namespace) + "/" + name, options.toString());
        // 404: already gone; 409: the uid precondition failed, so the object we meant is gone too
        if (!response.ok() && response.code() != 404 && response.code() != 409) {
            throw new KubernetesClientException("delete " + resource.groupResource() + " " + name + ": "
                    + response.body(), response.code(), null);
        }
    }

    @Override
    public void setOwnerReferences(ApiResource resource, GenericKubernetesResource object,
                                   List<OwnerReference> remaining) {
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode meta = patch.putObject("metadata");
        meta.put("resourceVersion", object.getMetadata().getResourceVersion());
        if (remaining.isEmpty()) {
            meta.putNull("ownerReferences");
        } else {
            meta.set("ownerReferences", JSON.valueToTree(remaining));
        }
        patch(resource, object, patch);
    }

    @Override
    public void removeFinalizer(ApiResource resource, GenericKubernetesResource object, String finalizer) {
        List<String> finalizers = new ArrayList<>(object.getMetadata().getFinalizers() == null ? List.of()
                : object.getMetadata().getFinalizers());
        if (!finalizers.remove(finalizer)) {
            return;
        }
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode meta = patch.putObject("metadata");
        meta.put("resourceVersion", object.getMetadata().getResourceVersion());
        if (finalizers.isEmpty()) {
            meta.putNull("finalizers");
        } else {
            ArrayNode list = meta.putArray("finalizers");
            finalizers.forEach(list::add);
        }
        patch(resource, object, patch);
    }

    private void patch(ApiResource resource, GenericKubernetesResource object, ObjectNode patch) {
        var op = client.genericKubernetesResources(resource.context());
        String name = object.getMetadata().getName();
        var target = resource.namespaced() ? op.inNamespace(object.getMetadata().getNamespace()).withName(name)
                : op.withName(name);
        try {
            target.patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
