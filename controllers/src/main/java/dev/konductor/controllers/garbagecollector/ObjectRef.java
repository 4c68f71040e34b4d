package dev.konductor.controllers.garbagecollector;

import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;

/**
 * One object of any resource type, as the collector's work queue names it: group, resource
 * (plural), namespace (empty when cluster-scoped) and name. The version is left out: an object is
 * the same whichever version serves it.
 */
record ObjectRef(String group, String plural, String namespace, String name) {

    private static final String SEPARATOR = "|";

    static ObjectRef of(ApiResource resource, String namespace, String name) {
        return new ObjectRef(resource.group(), resource.plural(),
                resource.namespaced() && namespace != null ? namespace : "", name);
    }

    /** The work-queue key: {@code group|plural|namespace|name} (no name part can hold a '|'). */
    String key() {
        return group + SEPARATOR + plural + SEPARATOR + namespace + SEPARATOR + name;
    }

    static ObjectRef parse(String key) {
        String[] parts = key.split("\\|", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a garbage collector key: " + key);
        }
        return new ObjectRef(parts[0], parts[1], parts[2], parts[3]);
    }

    /** {@code plural.group}, the monitor this object lives in. */
    String groupResource() {
        return plural + "." + group;
    }

    @Override
    public String toString() {
        return groupResource() + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }
}
