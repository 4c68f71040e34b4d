package dev.konductor.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;

/**
 * The status upstream's naming and establishing controllers give a served CustomResourceDefinition:
 * {@code acceptedNames} (the spec's names, defaulted), the {@code NamesAccepted} and
 * {@code Established} conditions, and the storage version recorded in {@code storedVersions}.
 * Pure: computes the status, the caller writes it.
 */
final class DefinitionStatus {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DefinitionStatus() {
    }

    /** The status the definition should have, or null when it already has it. */
    static ObjectNode desired(JsonNode crd, Instant now) {
        JsonNode current = crd.path("status");
        ObjectNode status = current.isObject() ? ((ObjectNode) current).deepCopy() : NODES.objectNode();
        status.set("acceptedNames", acceptedNames(crd.path("spec").path("names")));
        setCondition(status, "NamesAccepted", "NoConflicts", "no conflicts found", now);
        setCondition(status, "Established", "InitialNamesAccepted", "the initial names have been accepted", now);
        ArrayNode stored = status.withArray("storedVersions");
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("storage").asBoolean(false) && !contains(stored, v.path("name").asText())) {
                stored.add(v.path("name").asText());
            }
        }
        return status.equals(current) ? null : status;
    }

    /** The Terminating condition while the definition's objects are being deleted. */
    static ObjectNode deleting(JsonNode crd, Instant now) {
        JsonNode current = crd.path("status");
        ObjectNode status = current.isObject() ? ((ObjectNode) current).deepCopy() : NODES.objectNode();
        setCondition(status, "Terminating", "InstanceDeletionInProgress", "CustomResource deletion is in progress",
                now);
        return status.equals(current) ? null : status;
    }

    private static ObjectNode acceptedNames(JsonNode names) {
        ObjectNode accepted = NODES.objectNode();
        String kind = names.path("kind").asText("");
        accepted.put("plural", names.path("plural").asText(""));
        String singular = names.path("singular").asText("");
        accepted.put("singular", singular.isEmpty() ? kind.toLowerCase(Locale.ROOT) : singular);
        copyList(names, accepted, "shortNames");
        accepted.put("kind", kind);
        String listKind = names.path("listKind").asText("");
        accepted.put("listKind", listKind.isEmpty() ? kind + "List" : listKind);
        copyList(names, accepted, "categories");
        return accepted;
    }

    private static void copyList(JsonNode from, ObjectNode to, String field) {
        if (from.path(field).isArray() && !from.path(field).isEmpty()) {
            to.set(field, from.get(field).deepCopy());
        }
    }

    /** Sets a True condition, keeping its transition time when it was True already. */
    private static void setCondition(ObjectNode status, String type, String reason, String message, Instant now) {
        ArrayNode conditions = status.withArray("conditions");
        ObjectNode existing = null;
        for (JsonNode c : conditions) {
            if (c.path("type").asText().equals(type)) {
                existing = (ObjectNode) c;
            }
        }
        if (existing == null) {
            existing = conditions.addObject();
        }
        String transition = existing.path("status").asText().equals("True")
                && existing.hasNonNull("lastTransitionTime") ? existing.get("lastTransitionTime").asText()
                : now.toString();
        existing.removeAll();
        existing.put("type", type);
        existing.put("status", "True");
        existing.put("lastTransitionTime", transition);
        existing.put("reason", reason);
        existing.put("message", message);
    }

    private static boolean contains(ArrayNode array, String value) {
        for (JsonNode v : array) {
            if (v.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
