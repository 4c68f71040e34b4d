package dev.konductor.apiserver.watchcache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@code fieldsV1} trees of the managed fields of the watch cache's objects, shared by the
 * objects that hold equal ones. The pods of one ReplicaSet (or of a benchmark) have the same fields
 * set by the same managers, and those trees are most of a stored pod's JSON objects (37 of the 60
 * of a fresh pod): each is now kept once instead of once per pod. The cache's trees are never
 * changed in place ({@link CachedObject}), so sharing them is safe.
 *
 * <p>A small direct-mapped table: a set whose slot holds another one takes the slot over, which
 * only costs the next object with the set a tree of its own.
 */
final class SharedFieldSets {

    static final int SLOTS = 1024;

    private final AtomicReferenceArray<ObjectNode> slots = new AtomicReferenceArray<>(SLOTS);

    /**
     * Replaces the {@code fieldsV1} of every entry of {@code object}'s managed fields by an equal
     * tree already shared, if there is one. {@code object} must not be shared yet: it is changed.
     */
    void share(ObjectNode object) {
        if (!(object.get("metadata") instanceof ObjectNode metadata)
                || !(metadata.get("managedFields") instanceof ArrayNode entries)) {
            return;
        }
        for (JsonNode entry : entries) {
            if (entry instanceof ObjectNode e && e.get("fieldsV1") instanceof ObjectNode fields) {
                ObjectNode shared = intern(fields);
                if (shared != fields) {
                    e.set("fieldsV1", shared);
                }
            }
        }
    }

    /** The shared tree equal to {@code fields} (key order included), which becomes it if there is none. */
    ObjectNode intern(ObjectNode fields) {
        int slot = Math.floorMod(fields.hashCode(), SLOTS);
        ObjectNode held = slots.get(slot);
        if (held != null && sameInOrder(held, fields)) {
            return held;
        }
        slots.set(slot, fields);
        return fields;
    }

    /**
     * Equal and in the same key order at every level: Jackson's equality ignores the order of an
     * object's keys, and a shared tree is written out again where a metadata-only watch or a
     * write's managed fields serialize it.
     */
    static boolean sameInOrder(JsonNode a, JsonNode b) {
        if (a == b) {
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> left = a.properties().iterator();
            Iterator<Map.Entry<String, JsonNode>> right = b.properties().iterator();
            while (left.hasNext()) {
                Map.Entry<String, JsonNode> l = left.next();
                Map.Entry<String, JsonNode> r = right.next();
                if (!l.getKey().equals(r.getKey()) || !sameInOrder(l.getValue(), r.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameInOrder(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
