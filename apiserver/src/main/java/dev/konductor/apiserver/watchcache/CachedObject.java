package dev.konductor.apiserver.watchcache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.PartialObjectMetadata;

/**
 * One object as the cache holds it: the decoded tree (with metadata.resourceVersion set) and,
 * computed once on demand, its JSON bytes so that a watch event fanned out to many watchers is
 * serialized once. The tree is shared: never mutate it, copy it first ({@code deepCopy()}).
 */
public final class CachedObject {

    private final String key;
    private final ObjectNode object;
    private final long modRevision;
    private volatile byte[] json;
    private volatile byte[] metadataJson;

    public CachedObject(String key, ObjectNode object, long modRevision) {
        this.key = key;
        this.object = object;
        this.modRevision = modRevision;
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
