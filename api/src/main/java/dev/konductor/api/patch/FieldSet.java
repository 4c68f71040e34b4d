package dev.konductor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.schema.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * An immutable set of field paths, as structured-merge-diff's {@code fieldpath.Set}: at each level
 * a sorted set of <em>members</em> (paths that end here) and sorted <em>children</em> (paths that
 * continue). A path can be both: in {@code fieldsV1} that is written as a {@code ".": {}} entry
 * inside the child, e.g. {@code {"f:labels":{".":{},"f:app":{}}}}.
 *
 * <p>Set operations are structural, as upstream's: {@code difference} removes exactly the paths
 * of the other set, so owning {@code .spec} does not imply owning {@code .spec.replicas}.
 */
public final class FieldSet {

    private static final FieldSet EMPTY = new FieldSet(new TreeSet<>(), new TreeMap<>());

    /** The members and children, once known: a set read lazily parses its source on first use. */
    private record Parts(NavigableSet<PathElement> members, NavigableMap<PathElement, FieldSet> children) {
    }

    private volatile Parts parts;
    /** The canonical {@code fieldsV1} this set was read from, or null. */
    private final ObjectNode source;

    private FieldSet(NavigableSet<PathElement> members, NavigableMap<PathElement, FieldSet> children) {
        this.parts = new Parts(Collections.unmodifiableNavigableSet(members),
                Collections.unmodifiableNavigableMap(children));
        this.source = null;
    }

    private FieldSet(ObjectNode source) {
        this.source = source;
    }

    private Parts parts() {
        Parts p = parts;
        if (p == null) {
            Builder b = new Builder();
            readInto(source, b);
            FieldSet parsed = b.build();
            p = parsed.parts();
            parts = p;
        }
        return p;
    }

    public static FieldSet empty() {
        return EMPTY;
    }

    /** A set holding exactly the given paths. */
    public static FieldSet of(List<List<PathElement>> paths) {
        Builder b = new Builder();
        paths.forEach(b::insert);
        return b.build();
    }

    /**
     * The fields an object sets, as upstream's {@code ToFieldSet}: every leaf, every element of a
     * set or map-list, every entry of a map (as opposed to a struct), and every empty or null field.
     */
    public static FieldSet fromObject(JsonNode object, Schema schema) {
        Builder b = new Builder();
        ObjectWalks.collect(object, schema, b);
        return b.build();
    }

    /**
     * A set over {@code fieldsV1} that this server wrote itself (a stored object's), so it is
     * well formed and canonical: it is parsed only when an operation needs its paths, and written
     * back as it is when no operation changed it. A write that takes fields from one manager
     * leaves the other managers' sets alone, and those are most of them.
     */
    static FieldSet ofStoredFieldsV1(JsonNode fieldsV1) {
        if (fieldsV1 instanceof ObjectNode o && !o.isEmpty()) {
            return new FieldSet(o);
        }
        return fromFieldsV1(fieldsV1);
    }

    /** Parses the {@code fieldsV1} encoding; throws IllegalArgumentException on a malformed one. */
    public static FieldSet fromFieldsV1(JsonNode fieldsV1) {
        if (fieldsV1 == null || fieldsV1.isNull()) {
            return EMPTY;
        }
        if (!fieldsV1.isObject()) {
            throw new IllegalArgumentException("fieldsV1 must be an object");
        }
        Builder b = new Builder();
        readInto(fieldsV1, b);
        return b.build();
    }

    private static void readInto(JsonNode node, Builder b) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (".".equals(e.getKey())) {
                continue;
            }
            PathElement pe = PathElement.parse(e.getKey());
            JsonNode sub = e.getValue();
            if (!sub.isObject()) {
                throw new IllegalArgumentException("fieldsV1 value for " + e.getKey() + " must be an object");
            }
            // An empty object, or one holding ".", marks the path itself as a member.
            if (sub.isEmpty() || sub.has(".")) {
                b.members.add(pe);
            }
            if (sub.size() > (sub.has(".") ? 1 : 0)) {
                readInto(sub, b.child(pe));
            }
        }
    }

    /**
     * The {@code fieldsV1} encoding, keys in upstream's order. A set read from a stored object and
     * left as it was answers with the stored tree itself, shared: objects' trees are never changed
     * below their managed-fields entries, and copying every other manager's set on every write
     * was a fifth of recording managed fields for a Lease renewal.
     */
    public ObjectNode toFieldsV1() {
        if (source != null) {
            return source;
        }
        ObjectNode out = JsonValues.NODES.objectNode();
        write(out, false);
        return out;
    }

    private void write(ObjectNode out, boolean includeSelf) {
        if (includeSelf) {
            out.putObject(".");
        }
        NavigableSet<PathElement> members = members();
        NavigableMap<PathElement, FieldSet> children = children();
        TreeSet<PathElement> all = new TreeSet<>(members);
        all.addAll(children.keySet());
        for (PathElement pe : all) {
            ObjectNode sub = out.putObject(pe.serialize());
            FieldSet child = children.get(pe);
            if (child != null) {
                child.write(sub, members.contains(pe));
            }
        }
    }

    public boolean isEmpty() {
        if (parts == null) { // a non-empty canonical source holds a path
            return false;
        }
        return members().isEmpty() && children().isEmpty();
    }

    /** Whether the exact path is a member. */
    public boolean has(List<PathElement> path) {
        if (path.isEmpty()) {
            return false;
        }
        if (path.size() == 1) {
            return members().contains(path.getFirst());
        }
        FieldSet child = children().get(path.getFirst());
        return child != null && child.has(path.subList(1, path.size()));
    }

    /** Every member path, members before children at each level, as upstream iterates. */
    public List<List<PathElement>> paths() {
        List<List<PathElement>> out = new ArrayList<>();
        forEachPath(new ArrayList<>(), out::add);
        return out;
    }

    private void forEachPath(List<PathElement> prefix, Consumer<List<PathElement>> f) {
        for (PathElement pe : members()) {
            List<PathElement> p = new ArrayList<>(prefix);
            p.add(pe);
            f.accept(List.copyOf(p));
        }
        for (Map.Entry<PathElement, FieldSet> e : children().entrySet()) {
            prefix.add(e.getKey());
            e.getValue().forEachPath(prefix, f);
            prefix.removeLast();
        }
    }

    public FieldSet union(FieldSet other) {
        if (other.isEmpty() || containsAll(other)) {
            return this; // a lazily read set that already holds the other stays unparsed
        }
        TreeSet<PathElement> m = new TreeSet<>(members());
        m.addAll(other.members());
        TreeMap<PathElement, FieldSet> c = new TreeMap<>(children());
        other.children().forEach((pe, set) -> c.merge(pe, set, FieldSet::union));
        return new FieldSet(m, c);
    }

    public FieldSet difference(FieldSet other) {
        if (other.isEmpty() || parts == null && !overlaps(source, other)) {
            return this; // unchanged, so a lazily read set stays unparsed
        }
        TreeSet<PathElement> m = new TreeSet<>(members());
        m.removeAll(other.members());
        TreeMap<PathElement, FieldSet> c = new TreeMap<>();
        children().forEach((pe, set) -> {
            FieldSet o = other.children().get(pe);
            FieldSet rest = o == null ? set : set.difference(o);
            if (!rest.isEmpty()) {
                c.put(pe, rest);
            }
        });
        return new FieldSet(m, c);
    }

    /**
     * Whether {@code other} has a member that the canonical {@code fieldsV1} holds too, at the
     * same place: exactly when {@link #difference} would take something away.
     */
    private static boolean overlaps(ObjectNode fieldsV1, FieldSet other) {
        for (PathElement pe : other.members()) {
            JsonNode here = fieldsV1.get(pe.serialize());
            if (here != null && (here.isEmpty() || here.has("."))) {
                return true;
            }
        }
        for (Map.Entry<PathElement, FieldSet> e : other.children().entrySet()) {
            if (fieldsV1.get(e.getKey().serialize()) instanceof ObjectNode below && overlaps(below, e.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** Whether every member path of {@code other} is a member here too. */
    public boolean containsAll(FieldSet other) {
        if (parts == null) {
            return containsAll(source, other);
        }
        if (!members().containsAll(other.members())) {
            return false;
        }
        for (Map.Entry<PathElement, FieldSet> e : other.children().entrySet()) {
            FieldSet here = children().get(e.getKey());
            if (here == null ? !e.getValue().isEmpty() : !here.containsAll(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** {@link #containsAll} on a canonical {@code fieldsV1}, without parsing it. */
    private static boolean containsAll(ObjectNode fieldsV1, FieldSet other) {
        for (PathElement pe : other.members()) {
            JsonNode here = fieldsV1.get(pe.serialize());
            if (here == null || !(here.isEmpty() || here.has("."))) {
                return false;
            }
        }
        for (Map.Entry<PathElement, FieldSet> e : other.children().entrySet()) {
            if (!e.getValue().isEmpty() && !(fieldsV1.get(e.getKey().serialize()) instanceof ObjectNode below
                    && containsAll(below, e.getValue()))) {
                return false;
            }
        }
        return true;
    }

    public FieldSet intersection(FieldSet other) {
        TreeSet<PathElement> m = new TreeSet<>(members());
        m.retainAll(other.members());
        TreeMap<PathElement, FieldSet> c = new TreeMap<>();
        children().forEach((pe, set) -> {
            FieldSet o = other.children().get(pe);
            if (o != null) {
                FieldSet both = set.intersection(o);
                if (!both.isEmpty()) {
                    c.put(pe, both);
                }
            }
        });
        return new FieldSet(m, c);
    }

    /** Like {@link #difference}, but a member of {@code other} also removes every path below it. */
    public FieldSet recursiveDifference(FieldSet other) {
        TreeSet<PathElement> m = new TreeSet<>(members());
        m.removeAll(other.members());
        TreeMap<PathElement, FieldSet> c = new TreeMap<>();
        children().forEach((pe, set) -> {
            if (other.members().contains(pe)) {
                return;
            }
            FieldSet o = other.children().get(pe);
            FieldSet rest = o == null ? set : set.recursiveDifference(o);
            if (!rest.isEmpty()) {
                c.put(pe, rest);
            }
        });
        return new FieldSet(m, c);
    }

    NavigableSet<PathElement> members() {
        return parts().members();
    }

    NavigableMap<PathElement, FieldSet> children() {
        return parts().children();
    }

    /** The subtree below {@code pe}, empty when there is none. */
    FieldSet child(PathElement pe) {
        return children().getOrDefault(pe, EMPTY);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet f && members().equals(f.members()) && children().equals(f.children());
    }

    @Override
    public int hashCode() {
        return Objects.hash(members(), children());
    }

    @Override
    public String toString() {
        return toFieldsV1().toString();
    }

    /** Collects paths; used while walking an object, then frozen with {@link #build}. */
    static final class Builder {
        private final TreeSet<PathElement> members = new TreeSet<>();
        private final TreeMap<PathElement, Builder> children = new TreeMap<>();

        void insert(List<PathElement> path) {
            if (path.isEmpty()) {
                // The empty path is the whole object; upstream does not track it either.
                return;
            }
            Builder cur = this;
            for (int i = 0; i < path.size() - 1; i++) {
                cur = cur.child(path.get(i));
            }
            cur.members.add(path.getLast());
        }

        Builder child(PathElement pe) {
            return children.computeIfAbsent(pe, k -> new Builder());
        }

        FieldSet build() {
            TreeMap<PathElement, FieldSet> c = new TreeMap<>();
            children.forEach((pe, b) -> {
                FieldSet set = b.build();
                if (!set.isEmpty()) {
                    c.put(pe, set);
                }
            });
            return members.isEmpty() && c.isEmpty() ? EMPTY : new FieldSet(new TreeSet<>(members), c);
        }
    }
}
