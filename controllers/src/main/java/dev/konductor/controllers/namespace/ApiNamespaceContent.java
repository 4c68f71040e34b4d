package dev.konductor.controllers.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.client.RawRequests;
import dev.konductor.controllers.framework.ApiDiscovery;
import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/** {@link NamespaceContent} through the API client. */
final class ApiNamespaceContent implements NamespaceContent {

    static final String BACKGROUND = "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Background\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final RawRequests raw;

    ApiNamespaceContent(KubernetesClient client) {
        this.client = client;
        this.raw = new RawRequests(client);
    }

    @Override
    public ApiDiscovery.Result discover() {
        return ApiDiscovery.preferredResources(client);
    }

    @Override
    public boolean deleteCollection(ApiResource resource, String namespace) {
        RawRequests.Response response = raw.send("DELETE", resource.path(namespace), BACKGROUND);
        if (response.code() == 404 || response.code() == 405) {
            return false;
        }
        if (!response.ok()) {
            throw failure(response);
        }
        return true;
    }

    @Override
    public List<GenericKubernetesResource> list(ApiResource resource, String namespace) {
        try {
            return client.genericKubernetesResources(resource.context()).inNamespace(namespace).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 405) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void delete(ApiResource resource, String namespace, String name) {
        RawRequests.Response response = raw.send("DELETE", resource.path(namespace) + "/" + name, BACKGROUND);
        if (!response.ok() && response.code() != 404) {
            throw failure(response);
        }
    }

    /** The error a failed request reports: the Status message, as upstream's client surfaces it. */
    static KubernetesClientException failure(RawRequests.Response response) {
        String message = "the server responded with status " + response.code();
        try {
            JsonNode status = JSON.readTree(response.body());
            if (status != null && status.hasNonNull("message")) {
                message = status.get("message").asText();
            }
        } catch (Exception ignored) {
            // not a Status body: keep the code
        }
        return new KubernetesClientException(message, response.code(), null);
    }
}
