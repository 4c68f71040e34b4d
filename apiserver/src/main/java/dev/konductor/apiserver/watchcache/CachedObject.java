package dev.konductor.apiserver.watchcache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.PartialObjectMetadata;
import dev.konductor.store.KeyValue;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One object as the cache holds it: the decoded tree (with metadata.resourceVersion set) and its
 * JSON bytes, made once from the stored bytes (or serialized once on demand), so that a watch
 * event fanned out to many watchers, or a GET, serializes nothing. The tree is shared: never
 * mutate it, copy it first ({@code deepCopy()}).
 *
 * <p>Once a newer version replaces it and the watchers have compared the two, the cache
 * {@link #release releases} its tree: the version lives on only in the event history, for watches
 * that resume from an older resourceVersion, which need its JSON, not a tree several times its
 * size. {@link #object()} then decodes the JSON again (a replay with selectors, a reader that
 * raced the update).
 */
public final class CachedObject {

    private final String key;
    private final long modRevision;
    private final String namespace;
    private final String name;
    private final String nodeName;
    /** Null once released; {@link #decoder} is set before. */
    private volatile ObjectNode object;
    private volatile ObjectMapper decoder;
    private volatile byte[] json;
    /** Where the metadata object is in {@link #json} when that came from the stored bytes, else -1. */
    private final int metadataStart;
    private final int metadataEnd;
    private volatile byte[] metadataJson;

    public CachedObject(String key, ObjectNode object, long modRevision) {
        this(key, object, modRevision, null);
    }

    private CachedObject(String key, ObjectNode object, long modRevision, StoredJson.Served served) {
        this.key = key;
        this.object = object;
        this.modRevision = modRevision;
        this.json = served == null ? null : served.json();
        this.metadataStart = served == null ? -1 : served.metadataStart();
        this.metadataEnd = served == null ? -1 : served.metadataEnd();
        JsonNode metadata = object.path("metadata");
        this.namespace = metadata.path("namespace").asText("");
        this.name = metadata.path("name").asText("");
        this.nodeName = object.path("spec").path("nodeName").asText("");
    }

    /**
     * A stored value decoded, its JSON made from the stored bytes rather than serialized again.
     *
     * @throws IOException if the value is not a JSON object
     */
    public static CachedObject decode(ObjectMapper mapper, KeyValue kv) throws IOException {
        return decode(mapper, kv, null);
    }

    /**
     * As {@link #decode(ObjectMapper, KeyValue)}, its managed fields' sets shared with equal ones
     * in {@code fieldSets} (null: not shared).
     */
    static CachedObject decode(ObjectMapper mapper, KeyValue kv, SharedFieldSets fieldSets) throws IOException {
        StoredJson.Decoded decoded = StoredJson.decode(mapper, kv.value(), kv.modRevision());
        if (fieldSets != null) {
            fieldSets.share(decoded.object());
        }
        return new CachedObject(kv.key(), decoded.object(), kv.modRevision(), decoded.served());
    }

    /**
     * The object a write stored as {@code kv}: {@code object} is what was encoded into
     * {@code stored}, with its resourceVersion set; the JSON is the stored bytes with the revision
     * spliced in where the encoding saw the metadata end, as {@link #decode} makes it.
     */
    public static CachedObject written(KeyValue kv, StoredValue stored, ObjectNode object) {
        StoredJson.Served served = stored.metadataEnd() < 0 ? null : StoredJson.splice(stored.bytes(),
                stored.metadataStart(), stored.metadataEnd(), Long.toString(kv.modRevision()));
        return new CachedObject(kv.key(), object, kv.modRevision(), served);
    }

    public String key() {
        return key;
    }

    /** The shared, read-only object; once released, a new copy decoded from its JSON. */
    public ObjectNode object() {
        ObjectNode tree = object;
        if (tree != null) {
            return tree;
        }
        try {
            return (ObjectNode) decoder.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("cannot decode the cached JSON of " + key, e);
        }
    }

    /**
     * This version's content with {@code rev} as its resourceVersion: how a deletion, or a move
     * out of a watch's selector, shows it.
     */
    public CachedObject withRevision(long rev) {
        ObjectNode copy = object().deepCopy();
        copy.withObject("metadata").put("resourceVersion", Long.toString(rev));
        return new CachedObject(key, copy, rev);
    }

    /** Drops the tree of this version, now that a newer one replaced it; its JSON is made first if need be. */
    void release(ObjectMapper mapper) {
        if (object == null) {
            return;
        }
        json(mapper);
        decoder = mapper;
        object = null;
    }

    /** The object's labels. */
    public Map<String, String> labels() {
        JsonNode labels = object().path("metadata").path("labels");
        if (labels.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        labels.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /**
     * The text of the value at a dotted {@code path} ({@code spec.nodeName}), as field selectors
     * compare it; empty when there is none.
     */
    public String field(String path) {
        JsonNode node = object();
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        if (node.isMissingNode() || node.isNull()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    public long modRevision() {
        return modRevision;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    public String nodeName() {
        return nodeName;
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

    /**
     * The object as PartialObjectMetadata in JSON, made once: what metadata-only watches get. Cut
     * from the object's JSON when that came from the store (the garbage collector's metadata
     * watches get every event, and serializing each one's metadata again was 3.5 % of the create
     * profile).
     */
    public byte[] metadataJson(ObjectMapper mapper) {
        byte[] bytes = metadataJson;
        if (bytes == null) {
            bytes = metadataStart >= 0 ? StoredJson.partialMetadata(json, metadataStart, metadataEnd)
                    : serialize(mapper, PartialObjectMetadata.of(object()));
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
