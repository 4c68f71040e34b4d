package dev.konductor.apiserver.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.watchcache.CachedObject;
import dev.konductor.apiserver.watchcache.StoredValue;
import dev.konductor.apiserver.watchcache.WatchCache;
import dev.konductor.store.KeyValue;
import dev.konductor.store.Store;
import dev.konductor.store.WriteResult;
import java.io.IOException;

/**
 * Reads and compare-and-swap writes of whole objects (in their storage version). Reads are
 * consistent: they wait until the watch cache reflects every write acknowledged before the read,
 * then answer from the cache. Writes go to the store; {@code metadata.resourceVersion} is never
 * stored, it is the key's modRevision.
 */
public final class ObjectStorage {

    private static final long FRESHNESS_TIMEOUT_MS = 3_000;

    private final Store store;
    private final WatchCache cache;
    private final ObjectMapper mapper;

    public ObjectStorage(Store store, WatchCache cache, ObjectMapper mapper) {
        this.store = store;
        this.cache = cache;
        this.mapper = mapper;
    }

    public WatchCache cache() {
        return cache;
    }

    public Store store() {
        return store;
    }

    /** The current object at {@code key}, or null. */
    public CachedObject get(ResourceType type, String key) {
        if (cache.waitFresh(FRESHNESS_TIMEOUT_MS)) {
            return cache.resource(Keys.prefix(type)).get(key);
        }
        KeyValue kv = store.get(key);
        return kv == null ? null : decode(kv);
    }

    /**
     * Stores a new object; 409 AlreadyExists if the key is taken. Once written, {@code obj} is the
     * returned object's, with its resourceVersion set: the caller must not change it any more.
     */
    public CachedObject create(ResourceType type, String key, ObjectNode obj) {
        StoredValue stored = StoredValue.encode(mapper, obj);
        WriteResult result = store.create(key, stored.bytes());
        return switch (result) {
            case WriteResult.Written w -> written(w.kv(), stored, obj);
            case WriteResult.Conflict c -> throw StatusException.alreadyExists(type.group(), type.plural(), nameOf(obj));
        };
    }

    /**
     * Replaces the object if it is still at {@code expectedRevision}; null if it changed or
     * vanished meanwhile (the caller decides between retrying and 409). As with {@link #create},
     * a written {@code obj} becomes the returned object's.
     */
    public CachedObject update(String key, ObjectNode obj, long expectedRevision) {
        StoredValue stored = StoredValue.encode(mapper, obj);
        WriteResult result = store.update(key, stored.bytes(), expectedRevision);
        return switch (result) {
            case WriteResult.Written w -> written(w.kv(), stored, obj);
            case WriteResult.Conflict c -> null;
        };
    }

    /** Deletes the object if still at {@code expectedRevision} (0: any); null if it changed. */
    public CachedObject delete(String key, long expectedRevision) {
        WriteResult result = store.delete(key, expectedRevision);
        return switch (result) {
            case WriteResult.Written w -> decode(w.kv());
            case WriteResult.Conflict c -> null;
        };
    }

    public static StatusException conflict(ResourceType type, String name) {
        return StatusException.conflict(type.group(), type.plural(), name,
                "the object has been modified; please apply your changes to the latest version and try again");
    }

    public CachedObject decode(KeyValue kv) {
        try {
            return CachedObject.decode(mapper, kv);
        } catch (IOException e) {
            throw new IllegalStateException("undecodable object at " + kv.key(), e);
        }
    }

    private CachedObject written(KeyValue kv, StoredValue stored, ObjectNode obj) {
        obj.withObject("metadata").put("resourceVersion", Long.toString(kv.modRevision()));
        return CachedObject.written(kv, stored, obj);
    }

    private static String nameOf(ObjectNode obj) {
        return obj.path("metadata").path("name").asText("");
    }
}
