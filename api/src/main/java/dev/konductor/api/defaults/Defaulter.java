package dev.konductor.api.defaults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.resource.ResourceType;

/**
 * Applies upstream's defaults to a built-in object, in place, so that what clients read back
 * after a create is field for field what a real cluster would show. Runs on the version the
 * object was sent in ({@code type}); apply it again after conversion to the storage version
 * (autoscaling/v1 HPAs pick up their v2 defaults that way).
 *
 * <p>Guarantees: never overwrites a value the user set, and is idempotent (applying twice equals
 * applying once). Stateless and thread-safe. Admission-time values (service account, default
 * tolerations, LimitRange requests) and server-allocated ones (clusterIP, node ports, uid) are
 * not defaults and are left to the API server.
 */
public final class Defaulter {

    public void apply(ResourceType type, ObjectNode obj) {
        apply(type.gvk(), obj);
    }

    /** Defaults for the given version of a kind (the storage version after a conversion). */
    public void apply(GroupVersionKind gvk, ObjectNode obj) {
        String kind = gvk.kind();
        switch (gvk.group()) {
            case "" -> CoreDefaults.apply(kind, obj);
            case "apps" -> AppsDefaults.apply(kind, obj);
            case "batch" -> BatchDefaults.apply(kind, obj);
            case "autoscaling" -> AutoscalingDefaults.apply(gvk.version(), kind, obj);
            case "networking.k8s.io" -> NetworkingDefaults.networking(kind, obj);
            case "discovery.k8s.io" -> NetworkingDefaults.discovery(kind, obj);
            case "rbac.authorization.k8s.io" -> ClusterDefaults.rbac(kind, obj);
            case "scheduling.k8s.io" -> ClusterDefaults.scheduling(kind, obj);
            case "storage.k8s.io" -> ClusterDefaults.storage(kind, obj);
            case "policy" -> ClusterDefaults.policy(kind, obj);
            case "apiextensions.k8s.io" -> ClusterDefaults.apiExtensions(kind, obj);
            default -> {
                // coordination.k8s.io, events.k8s.io and custom resources have no built-in defaults.
            }
        }
    }
}
