package dev.konductor.api.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.ObjectTree;
import java.util.List;

/**
 * Set-if-unset primitives. Upstream defaults a Go pointer when it is nil and a Go value when it
 * is its zero value; in JSON both read as "absent or null", and a zero value additionally as
 * {@code ""} or {@code 0}, so each helper names which of the two it follows. None overwrites
 * a value the user set, which is what makes every defaulter idempotent.
 */
final class DefaultFields {

    private DefaultFields() {
    }

    /** A Go string: "" counts as unset. */
    static void string(ObjectNode o, String field, String value) {
        if (ObjectTree.isEmpty(o, field)) {
            o.put(field, value);
        }
    }

    /** A Go pointer to an integer: only absent or null counts as unset. */
    static void integer(ObjectNode o, String field, int value) {
        if (!ObjectTree.has(o, field)) {
            o.put(field, value);
        }
    }

    /** A Go integer value: 0 counts as unset too. */
    static void nonZero(ObjectNode o, String field, int value) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull() || (n.isNumber() && n.asLong() == 0)) {
            o.put(field, value);
        }
    }

    /** A Go pointer to a bool. */
    static void bool(ObjectNode o, String field, boolean value) {
        if (!ObjectTree.has(o, field)) {
            o.put(field, value);
        }
    }

    /** A Go pointer to a struct: an absent one becomes {@code {}}. Returns the object either way. */
    static ObjectNode object(ObjectNode o, String field) {
        return ObjectTree.ensureObject(o, field);
    }

    /** A string list, set only when absent, null or empty. */
    static void strings(ObjectNode o, String field, List<String> values) {
        if (ObjectTree.isEmpty(o, field)) {
            var arr = o.putArray(field);
            values.forEach(arr::add);
        }
    }

    /**
     * {@code metadata.creationTimestamp: null} inside embedded templates. Upstream's Go structs
     * serialize a zero timestamp as null there (through 1.32, the wire version we serve), and
     * clients diffing against a real cluster expect to see it.
     */
    static void templateMetadata(ObjectNode template) {
        ObjectNode meta = ObjectTree.ensureObject(template, "metadata");
        if (!meta.has("creationTimestamp")) {
            meta.putNull("creationTimestamp");
        }
    }
}
