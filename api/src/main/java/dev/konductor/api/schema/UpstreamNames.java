package dev.konductor.api.schema;

import java.util.Map;
import java.util.Set;

/**
 * Maps a fabric8 model class to the name upstream's OpenAPI gives the same Go type
 * ({@code io.fabric8.kubernetes.api.model.PodSpec} to {@code io.k8s.api.core.v1.PodSpec}). fabric8
 * keeps upstream's type names but folds core/v1 and meta/v1 into one package, and drops the
 * version from a few group packages; both are undone here.
 */
final class UpstreamNames {

    private static final String FABRIC8 = "io.fabric8.kubernetes.api.model";
    private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

    /** meta/v1 types that fabric8 keeps in its core package. */
    private static final Set<String> META_TYPES = Set.of(
            "ObjectMeta", "ListMeta", "OwnerReference", "ManagedFieldsEntry", "FieldsV1", "LabelSelector",
            "LabelSelectorRequirement", "Condition", "Status", "StatusDetails", "StatusCause", "DeleteOptions",
            "Preconditions", "WatchEvent", "APIResource", "APIResourceList", "GroupVersionForDiscovery",
            "ServerAddressByClientCIDR", "Time", "MicroTime", "Patch");

    /** fabric8 packages (relative to {@code io.fabric8.kubernetes.api.model}) whose name differs from upstream's. */
    private static final Map<String, String> PACKAGES = Map.of(
            "apps", "io.k8s.api.apps.v1.",
            "rbac", "io.k8s.api.rbac.v1.",
            "storage", "io.k8s.api.storage.v1.",
            "apiextensions.v1", "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.",
            "autoscaling.v1", "io.k8s.api.autoscaling.v1.",
            "autoscaling.v2", "io.k8s.api.autoscaling.v2.");

    private UpstreamNames() {
    }

    /** The upstream definition name of a fabric8 model class. */
    static String definitionName(Class<?> modelClass) {
        String pkg = modelClass.getPackageName();
        String simple = modelClass.getSimpleName();
        if (!pkg.startsWith(FABRIC8)) {
            throw new IllegalArgumentException("not a fabric8 kubernetes model class: " + modelClass.getName());
        }
        if (pkg.equals(FABRIC8)) {
            return (META_TYPES.contains(simple) ? META : "io.k8s.api.core.v1.") + simple;
        }
        String relative = pkg.substring(FABRIC8.length() + 1);
        String mapped = PACKAGES.get(relative);
        if (mapped != null) {
            return mapped + simple;
        }
        // batch.v1, policy.v1, networking.v1, ...: the group's short name and version, as upstream
        return "io.k8s.api." + relative + "." + simple;
    }

    /**
     * The Go type name upstream's JSON decoder uses in its messages ({@code v1.PodSpec}): the last
     * package segment and the type name.
     */
    static String goTypeName(String definitionName) {
        int lastDot = definitionName.lastIndexOf('.');
        String pkg = definitionName.substring(0, lastDot);
        return pkg.substring(pkg.lastIndexOf('.') + 1) + definitionName.substring(lastDot);
    }
}
