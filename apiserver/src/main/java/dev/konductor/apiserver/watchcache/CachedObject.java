package dev.konductor.apiserver.watchcache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.PartialObjectMetadata;
import dev.konductor.store.KeyValue;
import java.io.IOException;

/**
 * One object as the cache holds it: the decoded tree (with metadata.resourceVersion set) and its
 * JSON bytes, made once from the stored bytes (or serialized once on demand), so that a watch
 * event fanned out to many watchers, or a GET, serializes nothing. The tree is shared: never
 * mutate it, copy it first ({@code deepCopy()}).
 */
public final class CachedObject {

    private final String key;
    private final ObjectNode object;
    private final long modRevision;
    private volatile byte[] json;
    private volatile byte[] metadataJson;

    public CachedObject(String key, ObjectNode object, long modRevision) {
        this(key, object, modRevision, null);
    }

    private CachedObject(String key, ObjectNode object, long modRevision, byte[] json) {
        this.key = key;
        this.object = object;
        this.modRevision = modRevision;
        this.json = json;
    }

    /**
     * A stored value decoded, its JSON made from the stored bytes rather than serialized again.
     *
     * @throws IOException if the value is not a JSON object
     */
    public static CachedObject decode(ObjectMapper mapper, KeyValue kv) throws IOException {
        StoredJson.Decoded decoded = StoredJson.decode(mapper, kv.value(), kv.modRevision());
        return new CachedObject(kv.key(), decoded.object(), kv.modRevision(), decoded.json());
    }

    /**
     * The object a write stored as {@code kv}: {@code object} is what was encoded into its value,
     * with its resourceVersion set; the JSON comes from the value, as for {@link #decode}.
     */
    public static CachedObject written(ObjectMapper mapper, KeyValue kv, byte[] stored, ObjectNode object) {
        return new CachedObject(kv.key(), object, kv.modRevision(), StoredJson.served(mapper, stored, kv.modRevision()));
    }

    public String key() {
        return key;
    }

    /** The shared, read-only object. */
    public ObjectNode object() {
        return object;
    }

    public long modRevision() {
        return modRevision;
    }

    public String namespace() {
        return object.path("metadata").path("namespace").asText("");
    }

    public String name() {
        return object.path("metadata").path("name").asText("");
    }

    public String nodeName() {
        return object.path("spec").path("nodeName").asText("");
    }

    /** The object's JSON, serialized once. */
    public byte[] json(ObjectMapper mapper) {
        byte[] bytes = json;
        if (bytes == null) {
            bytes = serialize(mapper, object);
            json = bytes;
        }
        return bytes;
    }

    /** The object as PartialObjectMetadata in JSON, serialized once: what metadata-only watches get. */
    public byte[] metadataJson(ObjectMapper mapper) {
        byte[] bytes = metadataJson;
        if (bytes == null) {
            bytes = serialize(mapper, PartialObjectMetadata.of(object));
            metadataJson = bytes;
        }
        return bytes;
    }

    private byte[] serialize(ObjectMapper mapper, ObjectNode tree) {
        try {
            return mapper.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + key, e);
        }
    }
}
