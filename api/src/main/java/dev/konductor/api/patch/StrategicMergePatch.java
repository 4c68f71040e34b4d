package dev.konductor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.schema.Schema;
import dev.konductor.api.status.StatusException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}), upstream's
 * {@code StrategicMergeMapPatch}: a JSON merge patch whose lists follow the schema's patch
 * strategy. Lists with strategy {@code merge} are merged (objects by their merge key, primitives
 * by union); other lists are replaced. The directives it understands:
 * <ul>
 *   <li>{@code "$patch": "replace"} in a map replaces the map; in a list element, the list;</li>
 *   <li>{@code "$patch": "delete"} in a list element deletes the element with that key; in a map,
 *       empties it;</li>
 *   <li>{@code "$retainKeys": [...]} drops every key of the original map not listed;</li>
 *   <li>{@code "$setElementOrder/<list>": [...]} orders the merged list;</li>
 *   <li>{@code "$deleteFromPrimitiveList/<list>": [...]} removes values from a primitive list.</li>
 * </ul>
 * With an unknown schema (null or {@link Schema.AnyValue}) lists are replaced, as in JSON merge patch.
 *
 * <p>Errors use upstream's codes: malformed directives 400, lists of lists 422, and an element
 * without its merge key 500, exactly as upstream reports it.
 */
public final class StrategicMergePatch {

    static final String DIRECTIVE = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String SET_ELEMENT_ORDER = "$setElementOrder";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";

    private StrategicMergePatch() {
    }

    /** Applies {@code patch} to a copy of {@code original} and returns the result. */
    public static JsonNode apply(JsonNode original, JsonNode patch, Schema schema) {
        if (patch == null || !patch.isObject()) {
            throw StatusException.badRequest("invalid JSON document");
        }
        ObjectNode base = original != null && original.isObject() ? original.deepCopy() : JsonValues.NODES.objectNode();
        return mergeMap(base, (ObjectNode) patch, schema);
    }

    /** Merges {@code patch} into {@code original} (modified in place when merged; a new node on directives). */
    static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, Schema schema) {
        JsonNode directive = patch.get(DIRECTIVE);
        if (directive != null) {
            return mapDirective(directive, patch, schema);
        }
        retainKeys(original, patch);
        Set<String> handled = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getKey().startsWith(SET_ELEMENT_ORDER)) {
                String field = suffix(e.getKey(), SET_ELEMENT_ORDER, "invalid patch format of setElementOrder list");
                SmpLists.orderList(original, field, e.getValue(), patch.get(field), SchemaView.field(schema, field));
                handled.add(field);
            }
        }
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String key = e.getKey();
            if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                String field = suffix(key, DELETE_FROM_PRIMITIVE_LIST, "invalid patch format of primitive list");
                SmpLists.deleteFromPrimitiveList(original, field, e.getValue());
            } else if (!key.startsWith("$") && !handled.contains(key)) {
                mergeField(original, key, e.getValue(), SchemaView.field(schema, key));
            }
        }
        return original;
    }

    private static ObjectNode mapDirective(JsonNode directive, ObjectNode patch, Schema schema) {
        String kind = directive.asText();
        if ("replace".equals(kind)) {
            ObjectNode replacement = patch.deepCopy();
            replacement.remove(DIRECTIVE);
            // The replacement is merged into nothing so that nested directives are resolved, not stored.
            return mergeMap(JsonValues.NODES.objectNode(), replacement, schema);
        }
        if ("delete".equals(kind)) {
            return JsonValues.NODES.objectNode();
        }
        throw StatusException.internal("unknown patch type: " + kind + " in map: " + patch);
    }

    private static void mergeField(ObjectNode original, String key, JsonNode patchValue, Schema schema) {
        if (patchValue.isNull()) {
            original.remove(key);
            return;
        }
        JsonNode current = original.get(key);
        if (current == null || current.isNull() || current.getNodeType() != patchValue.getNodeType()) {
            if (!isDeleteDirective(patchValue)) {
                original.set(key, fresh(patchValue, schema));
            }
            return;
        }
        if (patchValue.isObject()) {
            original.set(key, mergeMap((ObjectNode) current, (ObjectNode) patchValue, schema));
        } else if (patchValue.isArray()) {
            original.set(key, SmpLists.mergeList((ArrayNode) current, (ArrayNode) patchValue, schema));
        } else {
            original.set(key, patchValue.deepCopy());
        }
    }

    /**
     * A patch value for a field the original lacks, with its directives resolved. (Upstream stores
     * such values as sent and relies on decoding into Go types to drop the directives; our objects
     * are JSON trees, so they must be resolved here.)
     */
    static JsonNode fresh(JsonNode patchValue, Schema schema) {
        if (patchValue.isObject()) {
            return mergeMap(JsonValues.NODES.objectNode(), (ObjectNode) patchValue, schema);
        }
        if (patchValue.isArray()) {
            return SmpLists.mergeList(JsonValues.NODES.arrayNode(), (ArrayNode) patchValue, schema);
        }
        return patchValue.deepCopy();
    }

    static boolean isDeleteDirective(JsonNode n) {
        return n.isObject() && "delete".equals(n.path(DIRECTIVE).asText(null));
    }

    /**
     * {@code $retainKeys}: every key present in the patch must be listed, and keys of the original
     * not listed are dropped.
     */
    private static void retainKeys(ObjectNode original, ObjectNode patch) {
        JsonNode retain = patch.get(RETAIN_KEYS);
        if (retain == null) {
            return;
        }
        if (!retain.isArray()) {
            throw StatusException.badRequest("invalid patch format of retainKeys");
        }
        Set<String> keep = new HashSet<>();
        retain.forEach(k -> keep.add(k.asText()));
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String k = e.getKey();
            boolean exempt = e.getValue().isNull() || k.equals(RETAIN_KEYS)
                    || k.startsWith(SET_ELEMENT_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE_LIST);
            if (!exempt && !keep.contains(k)) {
                throw StatusException.badRequest("invalid patch format of retainKeys");
            }
        }
        original.retain(keep);
    }

    private static String suffix(String key, String prefix, String error) {
        int slash = key.indexOf('/');
        if (slash < 0 || !key.substring(0, slash).equals(prefix)) {
            throw StatusException.badRequest(error);
        }
        return key.substring(slash + 1);
    }
}
