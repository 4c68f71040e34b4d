package dev.konductor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.schema.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks of a JSON object alongside its schema that produce field sets: which fields an object
 * sets ({@link #collect}) and which fields changed between two versions ({@link #compare}). Both
 * follow structured-merge-diff's {@code ToFieldSet} and {@code Compare}; the walk is driven by the
 * JSON value, so a cyclic schema graph is never followed further than the data goes.
 */
final class ObjectWalks {

    /** What changed between two versions of an object. */
    record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {
        FieldSet addedOrModified() {
            return added.union(modified);
        }

        Comparison excluding(FieldSet ignored) {
            return new Comparison(added.recursiveDifference(ignored), modified.recursiveDifference(ignored),
                    removed.recursiveDifference(ignored));
        }
    }

    private ObjectWalks() {
    }

    static void collect(JsonNode value, Schema schema, FieldSet.Builder out) {
        collect(new ArrayList<>(), value, schema, out);
    }

    private static void collect(List<PathElement> path, JsonNode value, Schema schema, FieldSet.Builder out) {
        if (SchemaView.isGranularObject(schema, value)) {
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                path.add(new PathElement.Field(e.getKey()));
                JsonNode v = e.getValue();
                collect(path, v, SchemaView.field(schema, e.getKey()), out);
                if (v.isNull() || (v.isObject() && v.isEmpty()) || !SchemaView.isDeclaredField(schema, e.getKey())) {
                    out.insert(path);
                }
                path.removeLast();
            }
        } else if (SchemaView.isGranularList(schema, value)) {
            collectListItems(path, value, schema, out);
        } else {
            out.insert(path);
        }
    }

    private static void collectListItems(List<PathElement> path, JsonNode list, Schema schema, FieldSet.Builder out) {
        Map<PathElement, Integer> counts = new LinkedHashMap<>();
        for (JsonNode item : list) {
            counts.merge(SchemaView.itemElement(schema, item), 1, Integer::sum);
        }
        Set<PathElement> done = new LinkedHashSet<>();
        for (JsonNode item : list) {
            PathElement pe = SchemaView.itemElement(schema, item);
            path.add(pe);
            // Duplicated elements cannot be told apart, so only the element as a whole is tracked.
            if (counts.get(pe) == 1) {
                collect(path, item, SchemaView.items(schema), out);
            }
            if (done.add(pe)) {
                out.insert(path);
            }
            path.removeLast();
        }
    }

    /** Compares two versions; {@code before} may be null (creation). */
    static Comparison compare(JsonNode before, JsonNode after, Schema schema) {
        FieldSet.Builder added = new FieldSet.Builder();
        FieldSet.Builder modified = new FieldSet.Builder();
        FieldSet.Builder removed = new FieldSet.Builder();
        new Comparer(added, modified, removed).compare(new ArrayList<>(), before, after, schema);
        return new Comparison(added.build(), modified.build(), removed.build());
    }

    private record Comparer(FieldSet.Builder added, FieldSet.Builder modified, FieldSet.Builder removed) {

        /** {@code l} or {@code r} is Java null when the value is absent; JSON null is a present value. */
        void compare(List<PathElement> path, JsonNode l, JsonNode r, Schema schema) {
            // An unchanged subtree adds, modifies and removes nothing: one equality walk instead of
            // indexing its lists and visiting every field (a Lease renewal changes one field of
            // its spec). Not at the root, which an update always changes.
            if (!path.isEmpty() && l != null && r != null && l.equals(r)) {
                return;
            }
            JsonNode shape = r != null && !r.isNull() ? r : l;
            boolean object = SchemaView.isGranularObject(schema, shape) && containerOrAbsent(l, true)
                    && containerOrAbsent(r, true);
            boolean list = SchemaView.isGranularList(schema, shape) && containerOrAbsent(l, false)
                    && containerOrAbsent(r, false);
            if ((!object && !list) || (isEmpty(l) && isEmpty(r))) {
                leaf(path, l, r);
                return;
            }
            if (object) {
                compareObjects(path, l, r, schema);
            } else {
                compareLists(path, l, r, schema);
            }
            if (l == null) {
                added.insert(path);
            } else if (r == null) {
                removed.insert(path);
            }
        }

        private void leaf(List<PathElement> path, JsonNode l, JsonNode r) {
            if (l == null) {
                added.insert(path);
            } else if (r == null) {
                removed.insert(path);
            } else if (!JsonValues.equal(l, r)) {
                modified.insert(path);
            }
        }

        private void compareObjects(List<PathElement> path, JsonNode l, JsonNode r, Schema schema) {
            Set<String> keys = new LinkedHashSet<>();
            if (l != null && l.isObject()) {
                l.fieldNames().forEachRemaining(keys::add);
            }
            if (r != null && r.isObject()) {
                r.fieldNames().forEachRemaining(keys::add);
            }
            for (String k : keys) {
                path.add(new PathElement.Field(k));
                compare(path, child(l, k), child(r, k), SchemaView.field(schema, k));
                path.removeLast();
            }
        }

        private void compareLists(List<PathElement> path, JsonNode l, JsonNode r, Schema schema) {
            Map<PathElement, List<JsonNode>> left = index(l, schema);
            Map<PathElement, List<JsonNode>> right = index(r, schema);
            Set<PathElement> all = new LinkedHashSet<>(left.keySet());
            all.addAll(right.keySet());
            Schema items = SchemaView.items(schema);
            for (PathElement pe : all) {
                List<JsonNode> ls = left.getOrDefault(pe, List.of());
                List<JsonNode> rs = right.getOrDefault(pe, List.of());
                path.add(pe);
                if (ls.size() <= 1 && rs.size() <= 1) {
                    compare(path, ls.isEmpty() ? null : ls.getFirst(), rs.isEmpty() ? null : rs.getFirst(), items);
                } else {
                    // Duplicates are compared as one opaque element.
                    leaf(path, ls.isEmpty() ? null : JsonValues.NODES.arrayNode().addAll(ls),
                            rs.isEmpty() ? null : JsonValues.NODES.arrayNode().addAll(rs));
                }
                path.removeLast();
            }
        }

        private static Map<PathElement, List<JsonNode>> index(JsonNode list, Schema schema) {
            Map<PathElement, List<JsonNode>> out = new LinkedHashMap<>();
            if (list != null && list.isArray()) {
                for (JsonNode item : list) {
                    out.computeIfAbsent(SchemaView.itemElement(schema, item), k -> new ArrayList<>()).add(item);
                }
            }
            return out;
        }

        private static JsonNode child(JsonNode n, String key) {
            return n != null && n.isObject() ? n.get(key) : null;
        }

        /** Absent, JSON null (a zero value), or a container of the expected kind. */
        private static boolean containerOrAbsent(JsonNode n, boolean object) {
            return n == null || n.isNull() || (object ? n.isObject() : n.isArray());
        }

        private static boolean isEmpty(JsonNode n) {
            return n == null || n.isNull() || ((n.isObject() || n.isArray()) && n.isEmpty());
        }
    }

    /**
     * The zero-valued object upstream compares against when an object is created. Upstream decodes
     * into a Go struct, whose non-pointer fields exist even when unset; so {@code metadata},
     * {@code spec} and {@code status}, and required structs and lists below them, are present
     * (as {@code {}} or {@code null}) and not themselves "added". Only fields the new object sets
     * are included, so that nothing shows as removed.
     */
    static ObjectNode creationBaseline(JsonNode created, Schema schema) {
        ObjectNode base = JsonValues.NODES.objectNode();
        for (String top : List.of("metadata", "spec", "status")) {
            JsonNode v = created.get(top);
            if (v != null && v.isObject()) {
                base.set(top, zeroValue(v, SchemaView.field(schema, top)));
            }
        }
        return base;
    }

    private static ObjectNode zeroValue(JsonNode created, Schema schema) {
        ObjectNode zero = JsonValues.NODES.objectNode();
        if (schema instanceof Schema.ObjectType o && o.required() != null) {
            for (String name : o.required()) {
                JsonNode v = created.get(name);
                Schema s = SchemaView.field(schema, name);
                if (v != null && v.isObject() && s instanceof Schema.ObjectType) {
                    zero.set(name, zeroValue(v, s));
                } else if (v != null && v.isArray() && s instanceof Schema.ArrayType) {
                    zero.putNull(name);
                }
            }
        }
        return zero;
    }
}
