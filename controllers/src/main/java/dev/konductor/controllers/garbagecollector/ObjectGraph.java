package dev.konductor.controllers.garbagecollector;

import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Optional;

/**
 * What the collector reads: the informer caches of every monitored resource type, indexed by
 * owner uid (upstream keeps a graph of the same facts). Cached objects are shared: never modify one.
 */
interface ObjectGraph {

    /** A cached object and where it lives. */
    record Node(ObjectRef ref, GenericKubernetesResource object) {
    }

    /** The served resource for an owner reference's apiVersion and kind (monitored or not). */
    Optional<ApiResource> resourceForKind(String apiVersion, String kind);

    /** The served resource named by a work-queue key. */
    Optional<ApiResource> resource(String group, String plural);

    Optional<GenericKubernetesResource> get(ObjectRef ref);

    /** Every cached object with an owner reference to {@code ownerUid}. */
    List<Node> dependents(String ownerUid);

    /** True once every monitor has listed at least once (before that, dependents may be missing). */
    boolean synced();
}
