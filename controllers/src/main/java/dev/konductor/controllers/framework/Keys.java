package dev.konductor.controllers.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Object keys as informer caches and work queues use them: {@code namespace/name} or {@code name}. */
public final class Keys {

    private Keys() {
    }

    public static String of(HasMetadata obj) {
        return of(obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    }

    public static String of(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** The namespace part of a key; empty for cluster-scoped keys. */
    public static String namespace(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    /** The name part of a key. */
    public static String name(String key) {
        return key.substring(key.indexOf('/') + 1);
    }
}
