package dev.konductor.controllers.garbagecollector;

import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Optional;

/** What the collector does through the API server (live reads and writes). */
interface GcApi {

    /** The object as the server has it now; empty if it does not exist. */
    Optional<GenericKubernetesResource> get(ApiResource resource, String namespace, String name);

    /**
     * Deletes the object with {@code uid} (a precondition: an object re-created under the same
     * name is left alone) and the given propagation policy. An object already gone is fine.
     */
    void delete(ApiResource resource, String namespace, String name, String uid, String propagationPolicy);

    /** Replaces the object's owner references by {@code remaining}, if it is still at its resourceVersion. */
    void setOwnerReferences(ApiResource resource, GenericKubernetesResource object, List<OwnerReference> remaining);

    /** Removes {@code finalizer} from the object, if it is still at its resourceVersion. */
    void removeFinalizer(ApiResource resource, GenericKubernetesResource object, String finalizer);
}
