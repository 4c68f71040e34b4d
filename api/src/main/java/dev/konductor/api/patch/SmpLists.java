package dev.konductor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.schema.Schema;
import dev.konductor.api.status.StatusException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The list half of {@link StrategicMergePatch}: merging lists by key or by value, the
 * {@code $patch} list directives, {@code $deleteFromPrimitiveList} and {@code $setElementOrder}.
 *
 * <p>Order follows upstream: elements named by the patch come in the patch's (or
 * {@code $setElementOrder}'s) order; elements only on the server keep their relative order and
 * stay in front of a patched element they preceded on the server.
 */
final class SmpLists {

    private SmpLists() {
    }

    /** Merges {@code patch} into {@code original}; lists without the merge strategy are replaced. */
    static ArrayNode mergeList(ArrayNode original, ArrayNode patch, Schema schema) {
        if (!SchemaView.hasMergeStrategy(schema)) {
            return patch.deepCopy();
        }
        if (original.isEmpty() && patch.isEmpty()) {
            return original;
        }
        JsonNodeType kind = elementKind(original, patch);
        String mergeKey = SchemaView.mergeKey(schema);
        List<JsonNode> merged;
        if (kind != JsonNodeType.OBJECT) {
            merged = union(original, patch);
            mergeKey = null;
        } else {
            if (mergeKey == null) {
                throw StatusException.internal("cannot merge lists without merge key for type map");
            }
            merged = mergeByKey(original, patch, mergeKey, SchemaView.items(schema));
            if (merged == null) {
                // "$patch": "replace" inside the list: the patch's other elements are the list.
                return toArray(withoutDirectives(patch, mergeKey, SchemaView.items(schema)));
            }
        }
        List<JsonNode> patchOrder = new ArrayList<>();
        patch.forEach(patchOrder::add);
        return toArray(order(merged, patchOrder, listOf(original), mergeKey));
    }

    private static List<JsonNode> union(ArrayNode original, ArrayNode patch) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode v : original) {
            addIfAbsent(out, v);
        }
        for (JsonNode v : patch) {
            addIfAbsent(out, v.deepCopy());
        }
        return out;
    }

    private static void addIfAbsent(List<JsonNode> list, JsonNode v) {
        if (list.stream().noneMatch(x -> JsonValues.equal(x, v))) {
            list.add(v);
        }
    }

    /** Merges by key; returns null when the patch asks to replace the whole list. */
    private static List<JsonNode> mergeByKey(ArrayNode original, ArrayNode patch, String mergeKey, Schema items) {
        List<JsonNode> out = listOf(original);
        for (JsonNode p : patch) {
            JsonNode directive = p.get(StrategicMergePatch.DIRECTIVE);
            if (directive == null) {
                continue;
            }
            switch (directive.asText()) {
                case "delete" -> {
                    JsonNode key = requireKey(p, mergeKey);
                    out.removeIf(o -> JsonValues.equal(o.get(mergeKey), key));
                }
                case "replace" -> {
                    return null;
                }
                case "merge" -> throw StatusException.internal("merging lists cannot yet be specified in the patch");
                default -> throw StatusException.internal("unknown patch type: " + directive.asText() + " in map: " + p);
            }
        }
        for (JsonNode p : patch) {
            if (p.has(StrategicMergePatch.DIRECTIVE)) {
                continue;
            }
            JsonNode key = requireKey(p, mergeKey);
            int at = indexOfKey(out, mergeKey, key);
            if (at >= 0) {
                out.set(at, StrategicMergePatch.mergeMap((ObjectNode) out.get(at), (ObjectNode) p, items));
            } else {
                out.add(StrategicMergePatch.fresh(p, items));
            }
        }
        return out;
    }

    private static List<JsonNode> withoutDirectives(ArrayNode patch, String mergeKey, Schema items) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : patch) {
            if (!p.has(StrategicMergePatch.DIRECTIVE)) {
                out.add(StrategicMergePatch.fresh(p, items));
            }
        }
        return out;
    }

    /** {@code $deleteFromPrimitiveList/<field>}: removes the listed values from the field's list. */
    static void deleteFromPrimitiveList(ObjectNode original, String field, JsonNode toDelete) {
        if (!toDelete.isArray()) {
            throw StatusException.badRequest("invalid patch format of primitive list");
        }
        if (original.get(field) instanceof ArrayNode list) {
            for (int i = list.size() - 1; i >= 0; i--) {
                JsonNode v = list.get(i);
                for (JsonNode d : toDelete) {
                    if (JsonValues.equal(v, d)) {
                        list.remove(i);
                        break;
                    }
                }
            }
        }
    }

    /**
     * {@code $setElementOrder/<field>}: merges the field's patch list (if any) and orders the result,
     * elements named in {@code order} first by that order, server-only elements kept where they were.
     */
    static void orderList(ObjectNode original, String field, JsonNode order, JsonNode patchList, Schema schema) {
        if (!order.isArray() || (patchList != null && !patchList.isNull() && !patchList.isArray())) {
            throw StatusException.badRequest("invalid patch format of setElementOrder list");
        }
        JsonNode current = original.get(field);
        ArrayNode originalList = current instanceof ArrayNode a ? a : null;
        ArrayNode patch = patchList instanceof ArrayNode p ? p : null;
        String mergeKey = SchemaView.hasMergeStrategy(schema) ? SchemaView.mergeKey(schema) : null;
        if (patch != null && mergeKey != null) {
            validateOrder(patch, (ArrayNode) order, mergeKey);
        }
        ArrayNode merged;
        if (originalList != null && patch != null) {
            merged = mergeList(originalList, patch, schema);
        } else if (patch != null) {
            merged = mergeList(JsonValues.NODES.arrayNode(), patch, schema);
        } else if (originalList != null) {
            merged = originalList;
        } else {
            return;
        }
        boolean objects = !merged.isEmpty() && merged.get(0).isObject();
        List<JsonNode> server = originalList == null ? List.of() : listOf(originalList);
        original.set(field, toArray(order(listOf(merged), listOf((ArrayNode) order), server, objects ? mergeKey : null)));
    }

    /** The patch's elements must appear in {@code $setElementOrder} in the same relative order. */
    private static void validateOrder(ArrayNode patch, ArrayNode order, String mergeKey) {
        List<JsonNode> named = new ArrayList<>();
        patch.forEach(p -> {
            if (!p.has(StrategicMergePatch.DIRECTIVE)) {
                named.add(p);
            }
        });
        int pi = 0;
        for (int oi = 0; oi < order.size() && pi < named.size(); oi++) {
            if (JsonValues.equal(identity(named.get(pi), mergeKey), identity(order.get(oi), mergeKey))) {
                pi++;
            }
        }
        if (pi < named.size()) {
            throw StatusException.internal("The order in patch list:\n" + patch + "\n doesn't match "
                    + StrategicMergePatch.SET_ELEMENT_ORDER + " list:\n" + order + "\n");
        }
    }

    /**
     * Orders {@code merged}: elements found in {@code wanted} sorted by it, the rest ("server only")
     * in their {@code server} order, interleaved so a server-only element stays ahead of a wanted
     * element that followed it on the server (upstream's {@code normalizeElementOrder}).
     */
    private static List<JsonNode> order(List<JsonNode> merged, List<JsonNode> wanted, List<JsonNode> server,
                                        String mergeKey) {
        List<JsonNode> named = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        for (JsonNode m : merged) {
            (indexIn(wanted, m, mergeKey) >= 0 ? named : serverOnly).add(m);
        }
        named.sort(Comparator.comparingInt(m -> indexIn(wanted, m, mergeKey)));
        List<JsonNode> out = new ArrayList<>(merged.size());
        int i = 0;
        int j = 0;
        while (i < serverOnly.size() || j < named.size()) {
            if (j >= named.size()) {
                out.add(serverOnly.get(i++));
            } else if (i >= serverOnly.size()) {
                out.add(named.get(j++));
            } else {
                int si = indexIn(server, serverOnly.get(i), mergeKey);
                int ni = indexIn(server, named.get(j), mergeKey);
                out.add(si >= 0 && ni >= 0 && si < ni ? serverOnly.get(i++) : named.get(j++));
            }
        }
        return out;
    }

    private static int indexIn(List<JsonNode> list, JsonNode item, String mergeKey) {
        JsonNode id = identity(item, mergeKey);
        for (int i = 0; i < list.size(); i++) {
            if (JsonValues.equal(identity(list.get(i), mergeKey), id)) {
                return i;
            }
        }
        return -1;
    }

    private static JsonNode identity(JsonNode item, String mergeKey) {
        return mergeKey == null || !item.isObject() ? item : item.get(mergeKey);
    }

    private static int indexOfKey(List<JsonNode> list, String mergeKey, JsonNode key) {
        for (int i = 0; i < list.size(); i++) {
            if (JsonValues.equal(list.get(i).get(mergeKey), key)) {
                return i;
            }
        }
        return -1;
    }

    private static JsonNode requireKey(JsonNode item, String mergeKey) {
        JsonNode key = item.get(mergeKey);
        if (key == null) {
            // Upstream's wording; it surfaces as an internal error there too.
            throw StatusException.internal("map: " + item + " does not contain declared merge key: " + mergeKey);
        }
        return key;
    }

    /** The common element type; lists of lists are refused (422), mixed lists are an error. */
    private static JsonNodeType elementKind(ArrayNode a, ArrayNode b) {
        JsonNodeType kind = null;
        for (ArrayNode list : List.of(a, b)) {
            for (JsonNode v : list) {
                JsonNodeType t = v.isNumber() ? JsonNodeType.NUMBER : v.getNodeType();
                if (t == JsonNodeType.ARRAY) {
                    throw new StatusException(422, "Invalid", JsonPatch.REJECTED, null, null, null, null, null);
                }
                if (kind != null && kind != t) {
                    throw StatusException.internal("list element types are not identical: " + a + " " + b);
                }
                kind = t;
            }
        }
        return kind;
    }

    private static List<JsonNode> listOf(ArrayNode a) {
        List<JsonNode> out = new ArrayList<>();
        a.forEach(out::add);
        return out;
    }

    private static ArrayNode toArray(List<JsonNode> items) {
        ArrayNode out = JsonValues.NODES.arrayNode();
        out.addAll(items);
        return out;
    }
}
