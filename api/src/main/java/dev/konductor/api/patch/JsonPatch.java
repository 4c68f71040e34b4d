package dev.konductor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.status.StatusException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6902 JSON Patch ({@code application/json-patch+json}), as the API server applies it.
 *
 * <p>Errors follow upstream's patch handler: a body that is not an array of operation objects is
 * 400 BadRequest; more than 10,000 operations is 413; any operation that cannot be applied (a
 * failed {@code test}, a missing path, an unknown op) is 422 Invalid with upstream's generic
 * message, since upstream does not pass the patch library's detail to the client.
 *
 * <p>The patch is atomic: it works on a copy and the target is never modified.
 */
public final class JsonPatch {

    /** Upstream's {@code maxJSONPatchOperations}. */
    static final int MAX_OPERATIONS = 10_000;

    static final String REJECTED = "the server rejected our request due to an error in our request";

    private JsonPatch() {
    }

    /** Applies {@code patchOps} to a copy of {@code target} and returns the result. */
    public static JsonNode apply(JsonNode target, JsonNode patchOps) {
        List<ObjectNode> ops = decode(patchOps);
        JsonNode doc = target == null ? JsonValues.NODES.nullNode() : target.deepCopy();
        for (ObjectNode op : ops) {
            doc = applyOne(doc, op);
        }
        return doc;
    }

    private static List<ObjectNode> decode(JsonNode patchOps) {
        if (patchOps == null || !patchOps.isArray()) {
            String got = patchOps == null ? "null" : patchOps.getNodeType().name().toLowerCase();
            throw StatusException.badRequest("json: cannot unmarshal " + got + " into Go value of type jsonpatch.Patch");
        }
        List<ObjectNode> ops = new ArrayList<>();
        for (JsonNode op : patchOps) {
            if (!op.isObject()) {
                throw StatusException.badRequest("json: cannot unmarshal " + op.getNodeType().name().toLowerCase()
                        + " into Go value of type jsonpatch.Operation");
            }
            ops.add((ObjectNode) op);
        }
        if (ops.size() > MAX_OPERATIONS) {
            throw StatusException.requestEntityTooLarge("The allowed maximum operations in a JSON patch is "
                    + MAX_OPERATIONS + ", got " + ops.size());
        }
        return ops;
    }

    private static JsonNode applyOne(JsonNode doc, ObjectNode op) {
        String kind = op.path("op").asText("");
        JsonPointer path = JsonPointer.parse(requiredText(op, "path"));
        return switch (kind) {
            case "add" -> add(doc, path, requiredValue(op));
            case "remove" -> {
                remove(doc, path);
                yield doc;
            }
            case "replace" -> {
                get(doc, path);
                yield set(doc, path, requiredValue(op), true);
            }
            case "move" -> {
                JsonPointer from = JsonPointer.parse(requiredText(op, "from"));
                if (from.isProperPrefixOf(path)) {
                    throw invalid();
                }
                JsonNode value = get(doc, from);
                remove(doc, from);
                yield add(doc, path, value);
            }
            case "copy" -> add(doc, path, get(doc, JsonPointer.parse(requiredText(op, "from"))).deepCopy());
            case "test" -> {
                test(doc, path, requiredValue(op));
                yield doc;
            }
            default -> throw invalid();
        };
    }

    private static void test(JsonNode doc, JsonPointer path, JsonNode expected) {
        JsonNode actual = path.resolve(doc);
        // Upstream's patch library lets a test for null pass on a missing path.
        if (actual == null ? !expected.isNull() : !JsonValues.equal(actual, expected)) {
            throw invalid();
        }
    }

    private static JsonNode add(JsonNode doc, JsonPointer path, JsonNode value) {
        return set(doc, path, value, false);
    }

    /** Adds or replaces the value at {@code path}; returns the (possibly new) document root. */
    private static JsonNode set(JsonNode doc, JsonPointer path, JsonNode value, boolean replace) {
        if (path.isRoot()) {
            return value.deepCopy();
        }
        JsonNode parent = path.parent().resolve(doc);
        String token = path.last();
        if (parent instanceof ObjectNode object) {
            object.set(token, value.deepCopy());
        } else if (parent instanceof ArrayNode array) {
            if (replace) {
                array.set(index(token, array.size() - 1), value.deepCopy());
            } else if ("-".equals(token)) {
                array.add(value.deepCopy());
            } else {
                array.insert(index(token, array.size()), value.deepCopy());
            }
        } else {
            throw invalid();
        }
        return doc;
    }

    private static void remove(JsonNode doc, JsonPointer path) {
        if (path.isRoot()) {
            throw invalid();
        }
        get(doc, path);
        JsonNode parent = path.parent().resolve(doc);
        if (parent instanceof ObjectNode object) {
            object.remove(path.last());
        } else if (parent instanceof ArrayNode array) {
            array.remove(index(path.last(), array.size() - 1));
        }
    }

    private static JsonNode get(JsonNode doc, JsonPointer path) {
        JsonNode value = path.resolve(doc);
        if (value == null) {
            throw invalid();
        }
        return value;
    }

    private static int index(String token, int max) {
        int i = JsonPointer.arrayIndex(token);
        if (i < 0 || i > max) {
            throw invalid();
        }
        return i;
    }

    private static String requiredText(ObjectNode op, String field) {
        JsonNode v = op.get(field);
        if (v == null || !v.isTextual()) {
            throw invalid();
        }
        return v.textValue();
    }

    private static JsonNode requiredValue(ObjectNode op) {
        JsonNode v = op.get("value");
        if (v == null) {
            throw invalid();
        }
        return v;
    }

    static StatusException invalid() {
        return new StatusException(422, "Invalid", REJECTED, null, null, null, null, null);
    }
}
