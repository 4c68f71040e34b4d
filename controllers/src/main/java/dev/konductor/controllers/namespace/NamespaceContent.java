package dev.konductor.controllers.namespace;

import dev.konductor.controllers.framework.ApiDiscovery;
import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;

/** What the namespace deleter needs from the API server; the client implementation is {@link ApiNamespaceContent}. */
interface NamespaceContent {

    /** Discovery of the preferred version of every group; throws when it fails as a whole. */
    ApiDiscovery.Result discover();

    /**
     * Deletes every object of {@code resource} in {@code namespace} with background propagation.
     *
     * @return false when the server does not support deletecollection for it
     */
    boolean deleteCollection(ApiResource resource, String namespace);

    /** The objects of {@code resource} in {@code namespace}; null when listing is not supported. */
    List<GenericKubernetesResource> list(ApiResource resource, String namespace);

    /** Deletes one object with background propagation; an object already gone is fine. */
    void delete(ApiResource resource, String namespace, String name);
}
