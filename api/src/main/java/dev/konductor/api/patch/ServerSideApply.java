package dev.konductor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.schema.Schema;
import dev.konductor.api.status.FieldError;
import dev.konductor.api.status.StatusException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-side apply ({@code application/apply-patch+yaml}) with upstream's ownership rules
 * (structured-merge-diff's {@code Updater.Apply}):
 * <ol>
 *   <li>the configuration is merged into the live object (structs and maps key by key, keyed
 *       lists element by element, atomic values replaced);</li>
 *   <li>the applier now owns exactly the fields of its configuration;</li>
 *   <li>fields it owned by its previous apply and no longer sets are removed, unless another
 *       manager owns them;</li>
 *   <li>a field another manager owns whose value this apply changes is a conflict: 409 unless
 *       {@code force}, in which case the other manager loses it.</li>
 * </ol>
 */
public final class ServerSideApply {

    /** Upstream's owner for every field of an object that had no managedFields before its first apply. */
    static final String BEFORE_FIRST_APPLY = "before-first-apply";

    private ServerSideApply() {
    }

    /**
     * Applies {@code applied} for {@code manager} and returns the new object (a new tree) with its
     * managedFields updated. {@code live} is null when the apply creates the object. Status is
     * treated as reset by the main resource, as for built-in kinds with a status subresource.
     *
     * @throws StatusException 409 Conflict listing each conflicting field, when {@code !force}; 400 when the
     *                         configuration carries managedFields
     */
    public static ObjectNode apply(ObjectNode live, ObjectNode applied, String manager, boolean force, Schema schema,
                                   Instant now) {
        return apply(live, applied, manager, force, schema, now, ManagedFields.resetFields(live, applied, null));
    }

    /** As {@link #apply(ObjectNode, ObjectNode, String, boolean, Schema, Instant)} with explicit reset fields. */
    public static ObjectNode apply(ObjectNode live, ObjectNode applied, String manager, boolean force, Schema schema,
                                   Instant now, FieldSet resetFields) {
        JsonNode sent = applied.path("metadata").get("managedFields");
        if (sent != null && !sent.isNull()) {
            throw StatusException.badRequest("metadata.managedFields must be nil");
        }
        String time = ManagedFieldsEntry.formatTime(now);
        ObjectNode liveObj = live == null ? JsonValues.NODES.objectNode() : ManagedFields.withoutManagedFields(live);
        Map<ManagedFieldsEntry.Identity, ManagedFieldsEntry> managers = live == null
                ? new LinkedHashMap<>() : ManagedFields.readLenient(live);
        if (live != null && managers.isEmpty()) {
            adoptUnmanaged(liveObj, schema, resetFields, time, managers);
        }
        ObjectNode config = applied.deepCopy();
        String apiVersion = config.path("apiVersion").asText(liveObj.path("apiVersion").asText(null));

        ObjectNode merged = (ObjectNode) ApplyMerge.merge(liveObj, config, schema);
        FieldSet configured = FieldSet.fromObject(config, schema).recursiveDifference(resetFields);
        var self = new ManagedFieldsEntry(manager, ManagedFieldsEntry.APPLY, apiVersion, time, null, configured);
        ManagedFieldsEntry last = managers.put(self.identity(), self);
        if (last != null) {
            FieldSet owned = managers.values().stream().map(ManagedFieldsEntry::fields)
                    .reduce(FieldSet.empty(), FieldSet::union);
            ApplyMerge.prune(merged, last.fields(), owned, schema);
        }

        ObjectWalks.Comparison cmp = ObjectWalks.compare(liveObj, merged, schema).excluding(resetFields);
        settleOwnership(managers, self.identity(), cmp, force);
        managers.put(self.identity(), self.withFields(configured.difference(ManagedFields.NEVER_OWNED)));
        ManagedFields.write(merged, managers.values());
        return merged;
    }

    /** Gives every field of an object that predates managedFields to "before-first-apply". */
    private static void adoptUnmanaged(ObjectNode liveObj, Schema schema, FieldSet resetFields, String time,
                                       Map<ManagedFieldsEntry.Identity, ManagedFieldsEntry> managers) {
        FieldSet existing = FieldSet.fromObject(liveObj, schema).recursiveDifference(resetFields)
                .difference(ManagedFields.NEVER_OWNED);
        if (!existing.isEmpty()) {
            var entry = new ManagedFieldsEntry(BEFORE_FIRST_APPLY, ManagedFieldsEntry.UPDATE,
                    liveObj.path("apiVersion").asText(null), time, null, existing);
            managers.put(entry.identity(), entry);
        }
    }

    /**
     * Other managers lose the fields this apply changed (a conflict unless forced) and the fields
     * it removed.
     */
    private static void settleOwnership(Map<ManagedFieldsEntry.Identity, ManagedFieldsEntry> managers,
                                        ManagedFieldsEntry.Identity self, ObjectWalks.Comparison cmp, boolean force) {
        FieldSet changed = cmp.addedOrModified();
        List<Conflict> conflicts = new ArrayList<>();
        managers.replaceAll((id, e) -> {
            if (id.equals(self)) {
                return e;
            }
            FieldSet taken = e.fields().intersection(changed);
            taken.paths().forEach(p -> conflicts.add(new Conflict(e, p)));
            return e.withFields(e.fields().difference(taken).difference(cmp.removed()));
        });
        if (!force && !conflicts.isEmpty()) {
            throw conflictError(conflicts);
        }
    }

    private record Conflict(ManagedFieldsEntry owner, List<PathElement> path) {
    }

    /** 409 in upstream's shape: one FieldManagerConflict cause per field, managers sorted in the message. */
    private static StatusException conflictError(List<Conflict> conflicts) {
        List<Conflict> sorted = conflicts.stream()
                .sorted(Comparator.comparing((Conflict c) -> c.owner().manager())
                        .thenComparing(c -> c.owner().operation())
                        .thenComparing(c -> String.valueOf(c.owner().apiVersion()))
                        .thenComparing(c -> String.valueOf(c.owner().subresource())))
                .toList();
        List<FieldError> causes = sorted.stream()
                .map(c -> new FieldError("FieldManagerConflict", PathElement.display(c.path()),
                        "conflict with " + c.owner().describe()))
                .toList();
        String message;
        if (sorted.size() == 1) {
            Conflict c = sorted.getFirst();
            message = "Apply failed with 1 conflict: conflict with " + c.owner().describe() + ": "
                    + PathElement.display(c.path());
        } else {
            List<String> lines = new ArrayList<>();
            String current = null;
            for (Conflict c : sorted) {
                if (!c.owner().describe().equals(current)) {
                    current = c.owner().describe();
                    lines.add("conflicts with " + current + ":");
                }
                lines.add("- " + PathElement.display(c.path()));
            }
            message = "Apply failed with " + sorted.size() + " conflicts: " + String.join("\n", lines);
        }
        return new StatusException(409, "Conflict", message, null, null, null, causes, null);
    }
}
