package dev.konductor.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies the {@code default:} values of a CRD's {@code openAPIV3Schema} to a custom resource.
 * Upstream defaults on every write and on every read from storage, so an object stored before a
 * default was added shows it too; callers do the same.
 *
 * <p>As upstream: a missing property gets its default; so does a property that is {@code null}
 * where the schema is not {@code nullable} (upstream drops such nulls before defaulting). Defaults
 * are applied inside list items and map values as well, and a default that is itself an object
 * is defaulted in turn by the schema below it.
 */
public final class Defaults {

    private Defaults() {
    }

    /** Fills in defaults in place. */
    public static void apply(JsonNode obj, JsonNode openAPIV3Schema) {
        if (obj != null && openAPIV3Schema != null) {
            applyTo(obj, openAPIV3Schema);
        }
    }

    private static void applyTo(JsonNode value, JsonNode schema) {
        if (value instanceof ObjectNode object) {
            applyToObject(object, schema);
        } else if (value instanceof ArrayNode array && schema.path("items").isObject()) {
            for (JsonNode item : array) {
                applyTo(item, schema.path("items"));
            }
        }
    }

    private static void applyToObject(ObjectNode object, JsonNode schema) {
        JsonNode properties = schema.path("properties");
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            JsonNode propertySchema = property.getValue();
            JsonNode current = object.get(property.getKey());
            boolean absent = current == null || current.isNull() && !propertySchema.path("nullable").asBoolean(false);
            if (absent && propertySchema.has("default")) {
                object.set(property.getKey(), propertySchema.get("default").deepCopy());
            }
        }
        JsonNode additional = schema.path("additionalProperties");
        // collect first: applying may not add keys, but iterating while setting is fragile
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
        for (Map.Entry<String, JsonNode> entry : entries) {
            JsonNode propertySchema = properties.path(entry.getKey());
            if (propertySchema.isObject()) {
                applyTo(entry.getValue(), propertySchema);
            } else if (additional.isObject()) {
                applyTo(entry.getValue(), additional);
            }
        }
    }
}
