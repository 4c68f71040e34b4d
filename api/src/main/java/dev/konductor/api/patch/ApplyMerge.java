package dev.konductor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.schema.Schema;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The two object transformations of server-side apply: merging an applied configuration into the
 * live object ({@link #merge}, upstream's {@code TypedValue.Merge}) and removing fields an applier
 * dropped from its configuration ({@link #prune}).
 */
final class ApplyMerge {

    private ApplyMerge() {
    }

    /**
     * Merges {@code config} over {@code live}: structs and maps key by key, sets and map-lists
     * element by element, everything else (scalars, atomic lists) taken from the config. The live
     * object's key order is kept and new keys are appended. Returns a new tree.
     */
    static JsonNode merge(JsonNode live, JsonNode config, Schema schema) {
        if (live == null || live.isNull()) {
            return config.deepCopy();
        }
        if (SchemaView.isGranularObject(schema, config) && live.isObject()) {
            ObjectNode out = live.deepCopy();
            for (Map.Entry<String, JsonNode> e : config.properties()) {
                String k = e.getKey();
                if (e.getValue().isNull()) {
                    out.remove(k);
                } else {
                    out.set(k, merge(live.get(k), e.getValue(), SchemaView.field(schema, k)));
                }
            }
            return out;
        }
        if (SchemaView.isGranularList(schema, config) && live.isArray()) {
            return mergeList((ArrayNode) live, (ArrayNode) config, schema);
        }
        return config.deepCopy();
    }

    /**
     * Merges two keyed lists. Elements only in the live list keep their place; configured elements
     * follow the configuration's order, as upstream's merge orders them.
     */
    private static ArrayNode mergeList(ArrayNode live, ArrayNode config, Schema schema) {
        Map<PathElement, JsonNode> liveItems = byElement(live, schema);
        Map<PathElement, JsonNode> configItems = byElement(config, schema);
        List<PathElement> lhs = new ArrayList<>(liveItems.keySet());
        List<PathElement> rhs = new ArrayList<>(configItems.keySet());
        ArrayDeque<PathElement> shared = new ArrayDeque<>(
                rhs.stream().filter(liveItems::containsKey).toList());
        Set<PathElement> merged = new HashSet<>();
        Schema items = SchemaView.items(schema);
        ArrayNode out = JsonValues.NODES.arrayNode();
        int li = 0;
        int ri = 0;
        while (li < lhs.size() || ri < rhs.size()) {
            if (li < lhs.size() && ri < rhs.size()) {
                PathElement pe = lhs.get(li);
                if (pe.equals(rhs.get(ri))) {
                    out.add(merge(liveItems.get(pe), configItems.get(pe), items));
                    merged.add(pe);
                    shared.remove(pe);
                    li++;
                    ri++;
                    continue;
                }
                // A shared element that the configuration places later waits for its turn.
                if (configItems.containsKey(pe) && !shared.isEmpty() && !shared.peek().equals(pe)) {
                    li++;
                    continue;
                }
            }
            if (li < lhs.size()) {
                PathElement pe = lhs.get(li);
                if (!configItems.containsKey(pe)) {
                    out.add(liveItems.get(pe).deepCopy());
                    li++;
                    continue;
                } else if (merged.contains(pe)) {
                    li++;
                }
            }
            if (ri < rhs.size()) {
                PathElement pe = rhs.get(ri++);
                merged.add(pe);
                out.add(merge(liveItems.get(pe), configItems.get(pe), items));
                shared.remove(pe);
            }
        }
        return out;
    }

    private static Map<PathElement, JsonNode> byElement(ArrayNode list, Schema schema) {
        Map<PathElement, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode item : list) {
            out.putIfAbsent(SchemaView.itemElement(schema, item), item);
        }
        return out;
    }

    /**
     * Removes from {@code merged} (in place) what the applier set last time but no longer sets,
     * unless someone still owns it: upstream's {@code prune}. {@code lastApplied} is the applier's
     * previous field set, {@code owned} the union of every manager's set including the applier's
     * new one. A struct field counts as a member of {@code lastApplied} even when only its
     * children are listed (upstream's {@code EnsureNamedFieldsAreMembers}); a container left empty
     * by removals is removed too.
     */
    static void prune(JsonNode merged, FieldSet lastApplied, FieldSet owned, Schema schema) {
        pruneNode(merged, lastApplied, owned, schema);
    }

    private static void pruneNode(JsonNode node, FieldSet last, FieldSet owned, Schema schema) {
        TreeSet<PathElement> candidates = new TreeSet<>(last.members());
        candidates.addAll(last.children().keySet());
        for (PathElement pe : candidates) {
            JsonNode child = childAt(node, pe, schema);
            if (child == null) {
                continue;
            }
            FieldSet ownedBelow = owned.child(pe);
            if (!owned.members().contains(pe) && ownedBelow.isEmpty()) {
                removeChild(node, pe, schema);
                continue;
            }
            FieldSet lastBelow = last.child(pe);
            if (!lastBelow.isEmpty()) {
                pruneNode(child, lastBelow, ownedBelow, childSchema(schema, pe));
                if (child.isContainerNode() && child.isEmpty() && !owned.members().contains(pe)) {
                    removeChild(node, pe, schema);
                }
            }
        }
    }

    private static Schema childSchema(Schema schema, PathElement pe) {
        return pe instanceof PathElement.Field f ? SchemaView.field(schema, f.name()) : SchemaView.items(schema);
    }

    /** The value {@code pe} names inside {@code node}, or null. */
    static JsonNode childAt(JsonNode node, PathElement pe, Schema schema) {
        if (pe instanceof PathElement.Field f) {
            return node.isObject() ? node.get(f.name()) : null;
        }
        if (!node.isArray()) {
            return null;
        }
        if (pe instanceof PathElement.Index i) {
            return i.index() < node.size() ? node.get(i.index()) : null;
        }
        for (JsonNode item : node) {
            if (pe.equals(SchemaView.itemElement(schema, item))) {
                return item;
            }
        }
        return null;
    }

    private static void removeChild(JsonNode node, PathElement pe, Schema schema) {
        if (pe instanceof PathElement.Field f) {
            ((ObjectNode) node).remove(f.name());
            return;
        }
        ArrayNode list = (ArrayNode) node;
        for (int i = list.size() - 1; i >= 0; i--) {
            boolean match = pe instanceof PathElement.Index idx ? idx.index() == i
                    : pe.equals(SchemaView.itemElement(schema, list.get(i)));
            if (match) {
                list.remove(i);
            }
        }
    }
}
