package dev.konductor.api.resource;

import java.util.List;
import java.util.Set;

/**
 * One resource served at one group/version: what discovery advertises and what the REST layer
 * needs to route, store and name it.
 *
 * @param group          API group, "" for core
 * @param version        API version
 * @param kind           the Kind ({@code Deployment})
 * @param plural         the resource name in URLs ({@code deployments})
 * @param singular       singular name ({@code deployment})
 * @param namespaced     whether objects live in a namespace
 * @param shortNames     short names for kubectl ({@code deploy})
 * @param categories     categories ({@code all})
 * @param subresources   subresources served ({@code status}, {@code scale}, ...)
 * @param storageKey     the key prefix segment objects are stored under, shared by every version of
 *                       the same resource ({@code deployments}, {@code apps/v1}-independent;
 *                       {@code events} for both core and events.k8s.io events)
 * @param storageVersion the GroupVersionKind objects are stored as; a different served version is
 *                       converted on the way in and out
 * @param modelClass     the fabric8 model class for this version, or null (custom resources)
 * @param verbs          verbs served on the main resource
 */
public record ResourceType(String group, String version, String kind, String plural, String singular,
                           boolean namespaced, List<String> shortNames, List<String> categories,
                           List<String> subresources, String storageKey, GroupVersionKind storageVersion,
                           Class<?> modelClass, Set<String> verbs) {

    public static final Set<String> ALL_VERBS =
            Set.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public GroupVersionKind gvk() {
        return new GroupVersionKind(group, version, kind);
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String listKind() {
        return kind + "List";
    }

    /** {@code deployments.apps}, {@code pods}: how upstream names the resource in messages. */
    public String qualifiedName() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    public boolean hasSubresource(String name) {
        return subresources.contains(name);
    }

    /** This resource served with other verbs. */
    public ResourceType withVerbs(Set<String> served) {
        return new ResourceType(group, version, kind, plural, singular, namespaced, shortNames, categories,
                subresources, storageKey, storageVersion, modelClass, Set.copyOf(served));
    }

    /** Whether this version is the one objects are stored as (no conversion needed). */
    public boolean isStorageVersion() {
        return storageVersion.equals(gvk());
    }
}
