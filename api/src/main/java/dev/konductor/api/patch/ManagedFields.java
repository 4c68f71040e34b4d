package dev.konductor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.schema.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code metadata.managedFields} bookkeeping for ordinary writes (create, update, JSON / merge /
 * strategic patches), as upstream's field manager does it for an {@code Update} operation: the
 * writer gains ownership of every field it added or changed, every other manager loses those
 * fields and the ones the write removed, and managers left with nothing are dropped.
 */
public final class ManagedFields {

    /** What a write to the main resource resets: its status. */
    private static final FieldSet STATUS = FieldSet.of(List.of(List.of(field("status"))));

    /** Fields never tracked: type meta and the server-set parts of metadata (upstream's stripMeta). */
    static final FieldSet NEVER_OWNED = FieldSet.of(List.of(
            List.of(field("apiVersion")), List.of(field("kind")), List.of(field("metadata")),
            List.of(field("metadata"), field("name")), List.of(field("metadata"), field("namespace")),
            List.of(field("metadata"), field("creationTimestamp")), List.of(field("metadata"), field("selfLink")),
            List.of(field("metadata"), field("uid")), List.of(field("metadata"), field("clusterName")),
            List.of(field("metadata"), field("generation")), List.of(field("metadata"), field("managedFields")),
            List.of(field("metadata"), field("resourceVersion"))));

    /** Upstream's {@code DefaultMaxUpdateManagers}: older update entries fold into one. */
    static final int MAX_UPDATE_MANAGERS = 10;

    static final String ANCIENT_CHANGES = "ancient-changes";

    private ManagedFields() {
    }

    /**
     * Records a non-apply write in {@code newObj}'s {@code metadata.managedFields}, in place.
     *
     * @param oldObj      the stored object, null on create
     * @param manager     the fieldManager parameter, or the user agent's prefix before '/' when absent
     * @param operation   {@code "Update"} for every write but apply
     * @param subresource null for the main resource, else {@code status}, {@code scale}, ...
     */
    public static void recordUpdate(ObjectNode oldObj, ObjectNode newObj, String manager, String operation,
                                    String subresource, Schema schema, Instant now) {
        recordUpdate(oldObj, newObj, manager, operation, subresource, schema, now,
                resetFields(oldObj, newObj, subresource));
    }

    /**
     * As {@link #recordUpdate(ObjectNode, ObjectNode, String, String, String, Schema, Instant)}, with
     * the fields this endpoint resets spelled out (upstream's {@code ResetFieldsStrategy}); they and
     * everything below them are never owned through this write.
     */
    public static void recordUpdate(ObjectNode oldObj, ObjectNode newObj, String manager, String operation,
                                    String subresource, Schema schema, Instant now, FieldSet resetFields) {
        Map<ManagedFieldsEntry.Identity, ManagedFieldsEntry> managers = liveOrNew(oldObj, newObj, subresource != null);
        // what the endpoint resets is never compared: a pod's spec under /status, its status otherwise
        Set<String> resetTops = new HashSet<>();
        for (PathElement pe : resetFields.members()) {
            if (pe instanceof PathElement.Field(String name)) {
                resetTops.add(name);
            }
        }
        ObjectNode after = viewWithout(newObj, resetTops);
        JsonNode before = oldObj == null ? ObjectWalks.creationBaseline(after, schema) : viewWithout(oldObj, resetTops);
        ObjectWalks.Comparison cmp = ObjectWalks.compare(before, after, schema).excluding(resetFields);

        FieldSet changed = cmp.addedOrModified();
        FieldSet lost = changed.union(cmp.removed());
        FieldSet mine = changed.difference(NEVER_OWNED);
        ManagedFieldsEntry entry = mine.isEmpty() ? null : new ManagedFieldsEntry(manager, operation,
                newObj.path("apiVersion").asText(null), ManagedFieldsEntry.formatTime(now), subresource, mine);
        // Every entry loses what this write changed or removed, and the writer's own entry gets
        // back what it set: so that one loses only the rest. A writer that owns what it sets (a
        // Lease renewed, a status rewritten by its owner) then keeps its entry as it was stored,
        // neither parsed nor rebuilt.
        FieldSet notMine = lost.difference(mine);
        ManagedFieldsEntry.Identity writer = entry == null ? null : entry.identity();
        managers.replaceAll((id, e) -> e.withFields(e.fields().difference(id.equals(writer) ? notMine : lost)));
        if (entry != null) {
            managers.merge(writer, entry, (prev, cur) -> cur.withFields(prev.fields().union(mine)));
        }
        write(newObj, managers.values());
    }

    /**
     * The fields an endpoint resets, by upstream's convention for built-in kinds: writes to the
     * main resource never set {@code status}, writes to {@code /status} set nothing but status.
     * Callers serving a kind without a status subresource pass {@link FieldSet#empty()} instead.
     */
    static FieldSet resetFields(JsonNode oldObj, JsonNode newObj, String subresource) {
        if (subresource == null) {
            return STATUS;
        }
        if (!"status".equals(subresource)) {
            return FieldSet.empty();
        }
        Set<String> tops = new LinkedHashSet<>();
        for (JsonNode o : new JsonNode[] {oldObj, newObj}) {
            if (o != null) {
                o.fieldNames().forEachRemaining(tops::add);
            }
        }
        tops.remove("status");
        return FieldSet.of(tops.stream().map(t -> List.<PathElement>of(field(t))).toList());
    }

    /** The entries of an object's {@code metadata.managedFields}; IllegalArgumentException when malformed. */
    public static List<ManagedFieldsEntry> read(JsonNode object) {
        return read(object, ManagedFieldsEntry::fromJson);
    }

    private static List<ManagedFieldsEntry> read(JsonNode object, Function<JsonNode, ManagedFieldsEntry> entry) {
        JsonNode list = object == null ? null : object.path("metadata").get("managedFields");
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("metadata.managedFields must be a list");
        }
        List<ManagedFieldsEntry> out = new ArrayList<>();
        list.forEach(e -> out.add(entry.apply(e)));
        return out;
    }

    /** Entries keyed by identity; entries sharing one are united, as decoding merges them upstream. */
    static Map<ManagedFieldsEntry.Identity, ManagedFieldsEntry> byIdentity(List<ManagedFieldsEntry> entries) {
        Map<ManagedFieldsEntry.Identity, ManagedFieldsEntry> out = new LinkedHashMap<>();
        for (ManagedFieldsEntry e : entries) {
            out.merge(e.identity(), e, (a, b) -> b.withFields(a.fields().union(b.fields())));
        }
        return out;
    }

    /**
     * Which managedFields a write starts from (upstream's {@code decodeLiveOrNew}): those the request
     * carries, so clients may edit them, unless it carries none or a broken list (then the stored
     * ones); a single empty entry {@code [{}]} resets them. Subresource writes always keep the
     * stored ones.
     */
    private static Map<ManagedFieldsEntry.Identity, ManagedFieldsEntry> liveOrNew(JsonNode oldObj, JsonNode newObj,
                                                                                 boolean subresource) {
        if (!subresource) {
            JsonNode requested = newObj.path("metadata").get("managedFields");
            if (requested != null && requested.isArray() && requested.size() == 1
                    && requested.get(0).isObject() && requested.get(0).isEmpty()) {
                return new LinkedHashMap<>();
            }
            try {
                List<ManagedFieldsEntry> entries = read(newObj);
                if (!entries.isEmpty()) {
                    return byIdentity(entries);
                }
            } catch (IllegalArgumentException malformed) {
                // Fall back to the stored list, so a careless client cannot wipe it.
            }
        }
        return readLenient(oldObj);
    }

    /**
     * The stored entries, or none when they cannot be decoded (upstream starts afresh then too).
     * {@code object} is a stored one: this server wrote its managedFields, so each entry's fields
     * are parsed only when the write needs them.
     */
    static Map<ManagedFieldsEntry.Identity, ManagedFieldsEntry> readLenient(JsonNode object) {
        try {
            return byIdentity(read(object, ManagedFieldsEntry::fromStoredJson));
        } catch (IllegalArgumentException malformed) {
            return new LinkedHashMap<>();
        }
    }

    /**
     * Writes the entries to {@code object.metadata.managedFields} in upstream's order (Apply before
     * Update, then oldest first, then manager, API version and subresource), dropping empty ones and
     * folding surplus update entries into {@code ancient-changes}. No entries, no field.
     */
    static void write(ObjectNode object, Collection<ManagedFieldsEntry> entries) {
        List<ManagedFieldsEntry> kept = capUpdateManagers(entries.stream().filter(e -> !e.fields().isEmpty()).toList());
        ObjectNode metadata = object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
        if (kept.isEmpty()) {
            metadata.remove("managedFields");
            return;
        }
        ArrayNode list = JsonValues.NODES.arrayNode();
        kept.stream().sorted(ORDER).forEach(e -> list.add(e.toJson()));
        metadata.set("managedFields", list);
    }

    private static final Comparator<ManagedFieldsEntry> ORDER = Comparator
            .comparing(ManagedFieldsEntry::operation)
            .thenComparingLong(ManagedFieldsEntry::epochSeconds)
            .thenComparing(ManagedFieldsEntry::manager)
            .thenComparing(e -> e.apiVersion() == null ? "" : e.apiVersion())
            .thenComparing(e -> e.subresource() == null ? "" : e.subresource());

    /**
     * Upstream's capManagers: while there are more than ten update entries, the oldest are folded,
     * per API version, into an "ancient-changes" entry carrying the newest folded time.
     */
    private static List<ManagedFieldsEntry> capUpdateManagers(List<ManagedFieldsEntry> entries) {
        int count = (int) entries.stream().filter(e -> ManagedFieldsEntry.UPDATE.equals(e.operation())).count();
        if (count <= MAX_UPDATE_MANAGERS) {
            return entries;
        }
        List<ManagedFieldsEntry> updates = entries.stream()
                .filter(e -> ManagedFieldsEntry.UPDATE.equals(e.operation())).sorted(ORDER).toList();
        Map<ManagedFieldsEntry.Identity, ManagedFieldsEntry> out = byIdentity(entries);
        Map<String, ManagedFieldsEntry> firstByVersion = new LinkedHashMap<>();
        for (int i = 0; i < updates.size() && count > MAX_UPDATE_MANAGERS; i++) {
            ManagedFieldsEntry oldest = updates.get(i);
            ManagedFieldsEntry first = firstByVersion.putIfAbsent(String.valueOf(oldest.apiVersion()), oldest);
            if (first == null) {
                continue;
            }
            var bucketId = new ManagedFieldsEntry.Identity(ANCIENT_CHANGES, ManagedFieldsEntry.UPDATE,
                    oldest.apiVersion(), null);
            ManagedFieldsEntry bucket = out.get(bucketId);
            if (bucket == null) {
                out.remove(first.identity());
                bucket = new ManagedFieldsEntry(ANCIENT_CHANGES, ManagedFieldsEntry.UPDATE, oldest.apiVersion(),
                        first.time(), null, first.fields());
            }
            out.remove(oldest.identity());
            out.put(bucketId, bucket.withFields(bucket.fields().union(oldest.fields())).withTime(oldest.time()));
            count--;
        }
        return new ArrayList<>(out.values());
    }

    /**
     * The object without its managedFields and without the top-level fields named, for reading
     * only: it shares every value but the top level and {@code metadata} with {@code object} (a
     * deep copy of each object written cost a tenth of recording its fields).
     */
    private static ObjectNode viewWithout(JsonNode object, Set<String> tops) {
        ObjectNode view = JsonValues.NODES.objectNode();
        view.setAll((ObjectNode) object);
        view.remove(tops);
        if (view.get("metadata") instanceof ObjectNode m && m.has("managedFields")) {
            ObjectNode metadata = view.putObject("metadata");
            metadata.setAll(m);
            metadata.remove("managedFields");
        }
        return view;
    }

    static ObjectNode withoutManagedFields(JsonNode object) {
        ObjectNode copy = object.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode m) {
            m.remove("managedFields");
        }
        return copy;
    }

    private static PathElement field(String name) {
        return new PathElement.Field(name);
    }
}
