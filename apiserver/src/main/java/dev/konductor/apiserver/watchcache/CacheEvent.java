package dev.konductor.apiserver.watchcache;

/**
 * A change to one object. For DELETED, {@code object} is the last state with the deletion's
 * revision as its resourceVersion; {@code previous} is null for ADDED.
 */
public record CacheEvent(Type type, CachedObject object, CachedObject previous, long revision) {

    public enum Type { ADDED, MODIFIED, DELETED }
}
