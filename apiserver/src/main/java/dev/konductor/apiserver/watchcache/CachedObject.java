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
 * <p>Once a newer version replaces it, the cache {@link #release releases} its tree: the version
 * lives on only in the event history (for watches that resume from an older resourceVersion) and
 * as the previous state selectors compare with, which need its JSON and what selectors read, not
 * a tree several times the size of that JSON. {@link #object()} then decodes the JSON again.
 */
public final class CachedObject {

    /** Field selectors name paths this deep at most ({@code spec.nodeName}, {@code involvedObject.name}). */
    private static final int SELECTABLE_DEPTH = 2;

    private final String key;
    private final long modRevision;
    private final String namespace;
    private final String name;
    private final String nodeName;
    /** Null once released; {@link #released} is set before. */
    private volatile ObjectNode object;
    private volatile Released released;
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

    /** The shared, read-only object; once released, a new copy decoded from its JSON. */
    public ObjectNode object() {
        ObjectNode tree = object;
        if (tree != null) {
            return tree;
        }
        try {
            return (ObjectNode) released.mapper().readTree(json);
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

    /**
     * Drops the tree of this version, now that a newer one replaced it, keeping its JSON (made
     * first if need be) and what label and field selectors read.
     */
    void release(ObjectMapper mapper) {
        ObjectNode tree = object;
        if (tree == null) {
            return;
        }
        json(mapper);
        released = Released.of(mapper, tree);
        object = null;
    }

    /** The object's labels. */
    public Map<String, String> labels() {
        ObjectNode tree = object;
        return tree != null ? labelsOf(tree) : released.labels();
    }

    /**
     * The text of the value at a dotted {@code path} ({@code spec.nodeName}), as field selectors
     * compare it; empty when there is none.
     */
    public String field(String path) {
        ObjectNode tree = object;
        if (tree == null) {
            String value = released.fields().get(path);
            if (value != null || depth(path) <= SELECTABLE_DEPTH) {
                return value == null ? "" : value;
            }
            tree = object();
        }
        return fieldValue(tree, path);
    }

    private static Map<String, String> labelsOf(ObjectNode tree) {
        JsonNode labels = tree.path("metadata").path("labels");
        if (labels.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        labels.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String fieldValue(JsonNode tree, String path) {
        JsonNode node = tree;
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        if (node.isMissingNode() || node.isNull()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static int depth(String path) {
        int depth = 1;
        for (int i = path.indexOf('.'); i >= 0; i = path.indexOf('.', i + 1)) {
            depth++;
        }
        return depth;
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

    /** The object as PartialObjectMetadata in JSON, serialized once: what metadata-only watches get. */
    public byte[] metadataJson(ObjectMapper mapper) {
        byte[] bytes = metadataJson;
        if (bytes == null) {
            bytes = serialize(mapper, PartialObjectMetadata.of(object()));
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

    /**
     * What a released version keeps besides its JSON: the mapper that decodes it again, its labels,
     * and the text of every scalar at most {@link #SELECTABLE_DEPTH} deep by dotted path (paths
     * interned: every version of a kind has the same few), which is all selectors read.
     */
    private record Released(ObjectMapper mapper, Map<String, String> labels, Map<String, String> fields) {

        static Released of(ObjectMapper mapper, ObjectNode tree) {
            Map<String, String> fields = new HashMap<>();
            collect(tree, "", 1, fields);
            return new Released(mapper, labelsOf(tree), fields);
        }

        private static void collect(JsonNode node, String prefix, int depth, Map<String, String> into) {
            node.properties().forEach(property -> {
                JsonNode value = property.getValue();
                String path = (prefix + property.getKey()).intern();
                if (value.isValueNode() && !value.isNull()) {
                    into.put(path, value.asText());
                } else if (value.isObject() && depth < SELECTABLE_DEPTH) {
                    collect(value, path + ".", depth + 1, into);
                }
            });
        }
    }
}
