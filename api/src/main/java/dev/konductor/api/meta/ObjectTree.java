package dev.konductor.api.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Absent-tolerant navigation of an object's JSON tree. API objects arrive as whatever the user
 * sent, so every read here treats a missing field, a JSON null and a value of the wrong type
 * alike: as absent. Type errors proper are the decoder's business, not the validator's.
 */
public final class ObjectTree {

    private ObjectTree() {
    }

    /** The object at {@code names} below {@code node}, or null if any step is missing or not an object. */
    public static ObjectNode object(JsonNode node, String... names) {
        JsonNode current = node;
        for (String name : names) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(name);
        }
        return current instanceof ObjectNode o ? o : null;
    }

    /** The object field {@code name} of {@code parent}, created empty if it is absent or null. */
    public static ObjectNode ensureObject(ObjectNode parent, String name) {
        JsonNode existing = parent.get(name);
        if (existing instanceof ObjectNode o) {
            return o;
        }
        return parent.putObject(name);
    }

    /** The array field {@code name} of {@code parent}, or null. */
    public static ArrayNode array(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        return n instanceof ArrayNode a ? a : null;
    }

    /** The object elements of the array field {@code name}; other elements are skipped. */
    public static List<ObjectNode> objects(JsonNode parent, String name) {
        ArrayNode a = array(parent, name);
        List<ObjectNode> out = new ArrayList<>();
        if (a != null) {
            for (JsonNode e : a) {
                if (e instanceof ObjectNode o) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    /** The object elements of an array node (null or a non-array gives none). */
    public static List<ObjectNode> elements(JsonNode array) {
        List<ObjectNode> out = new ArrayList<>();
        if (array instanceof ArrayNode a) {
            for (JsonNode e : a) {
                if (e instanceof ObjectNode o) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    /** The text field {@code name}, or null when absent or not a string. */
    public static String text(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    /** The text field {@code name}, or "" when absent. Upstream's Go strings are never nil. */
    public static String textOrEmpty(JsonNode parent, String name) {
        String s = text(parent, name);
        return s == null ? "" : s;
    }

    /** Whether {@code name} is present with a non-null value. */
    public static boolean has(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        return n != null && !n.isNull();
    }

    /** The integral field {@code name}, or null when absent or not an integer. */
    public static Long integer(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        return n != null && n.isIntegralNumber() ? n.longValue() : null;
    }

    /** The boolean field {@code name}, or null. */
    public static Boolean bool(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        return n != null && n.isBoolean() ? n.booleanValue() : null;
    }

    /** A {@code map[string]string} field such as labels; non-string values are skipped. */
    public static Map<String, String> stringMap(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.properties().forEach(e -> {
                if (e.getValue().isTextual()) {
                    out.put(e.getKey(), e.getValue().textValue());
                }
            });
        }
        return out;
    }

    /** A {@code []string} field; non-string elements are skipped. */
    public static List<String> strings(JsonNode parent, String name) {
        ArrayNode a = array(parent, name);
        List<String> out = new ArrayList<>();
        if (a != null) {
            for (JsonNode e : a) {
                if (e.isTextual()) {
                    out.add(e.textValue());
                }
            }
        }
        return out;
    }

    /** The keys of an object node, sorted (Go iterates maps randomly; we report in a stable order). */
    public static List<String> sortedKeys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        if (object != null && object.isObject()) {
            object.fieldNames().forEachRemaining(keys::add);
        }
        keys.sort(null);
        return keys;
    }

    /** Whether the field is absent, null, or an empty string, array or object (Go's "zero or empty"). */
    public static boolean isEmpty(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        if (n == null || n.isNull()) {
            return true;
        }
        if (n.isTextual()) {
            return n.textValue().isEmpty();
        }
        return n.isContainerNode() && n.isEmpty();
    }
}
