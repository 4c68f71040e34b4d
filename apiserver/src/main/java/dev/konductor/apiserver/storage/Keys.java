package dev.konductor.apiserver.storage;

import dev.konductor.api.resource.ResourceType;
import dev.konductor.apiserver.watchcache.WatchCache;

/** Where objects live in the store: {@code /registry/<storageKey>/[<namespace>/]<name>}. */
public final class Keys {

    private Keys() {
    }

    public static String prefix(ResourceType type) {
        return WatchCache.ROOT + type.storageKey() + "/";
    }

    /** The prefix of one namespace's objects, or of all of them when {@code namespace} is null. */
    public static String prefix(ResourceType type, String namespace) {
        return namespace == null || !type.namespaced() ? prefix(type) : prefix(type) + namespace + "/";
    }

    public static String key(ResourceType type, String namespace, String name) {
        return type.namespaced() ? prefix(type) + namespace + "/" + name : prefix(type) + name;
    }
}
