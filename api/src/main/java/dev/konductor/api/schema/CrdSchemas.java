package dev.konductor.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a CustomResourceDefinition version's structural {@code openAPIV3Schema} into a
 * {@link Schema}, so pruning, patching and OpenAPI publishing treat custom resources like built-in
 * kinds. Validation works on the JSON schema itself ({@link CrdValidator}), since it needs the
 * constraints a {@link Schema} does not keep.
 *
 * <p>As upstream does, the root always has {@code apiVersion}, {@code kind} and an ObjectMeta
 * {@code metadata}, whatever the CRD declares, and so does every object marked
 * {@code x-kubernetes-embedded-resource}.
 */
public final class CrdSchemas {

    private final ModelSchemas models;

    public CrdSchemas(ModelSchemas models) {
        this.models = models;
    }

    /** The schema of a custom resource; its root object has no definition name. */
    public Schema fromOpenApiV3(JsonNode openAPIV3Schema) {
        return fromOpenApiV3(openAPIV3Schema, null);
    }

    /**
     * The schema of a custom resource whose root object is published as {@code definitionName}
     * (upstream uses the reversed group, the version and the kind: {@code com.example.v1.CronTab}).
     */
    public Schema.ObjectType fromOpenApiV3(JsonNode openAPIV3Schema, String definitionName) {
        Schema root = convert(openAPIV3Schema == null ? MissingNode.getInstance() : openAPIV3Schema);
        return withResourceFields(root, definitionName);
    }

    private Schema convert(JsonNode node) {
        String description = node.path("description").asText("");
        if (node.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return new Schema.IntOrString(description);
        }
        if (node.path("x-kubernetes-embedded-resource").asBoolean(false)) {
            return withResourceFields(convertByType(node, description), null);
        }
        return convertByType(node, description);
    }

    private Schema convertByType(JsonNode node, String description) {
        boolean preserve = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        String type = node.path("type").asText("");
        return switch (type) {
            case "object" -> objectOrMap(node, description, preserve);
            case "array" -> new Schema.ArrayType(convert(node.path("items")), description, null, null,
                    textOrNull(node.path("x-kubernetes-list-type")), strings(node.path("x-kubernetes-list-map-keys")));
            case "string" -> scalar(Schema.ScalarKind.STRING, node, description);
            case "integer" -> scalar(Schema.ScalarKind.INTEGER, node, description);
            case "number" -> scalar(Schema.ScalarKind.NUMBER, node, description);
            case "boolean" -> scalar(Schema.ScalarKind.BOOLEAN, node, description);
            default -> node.has("properties") ? objectOrMap(node, description, preserve) : new Schema.AnyValue(description);
        };
    }

    private Schema objectOrMap(JsonNode node, String description, boolean preserve) {
        JsonNode additional = node.path("additionalProperties");
        if (!node.has("properties") && additional.isObject()) {
            return new Schema.MapType(convert(additional), description);
        }
        // additionalProperties: true keeps unknown fields, as preserve-unknown-fields does
        boolean keepsUnknown = preserve || additional.asBoolean(false);
        Map<String, Schema.Property> properties = new LinkedHashMap<>();
        node.path("properties").properties().forEach(e -> {
            Schema schema = convert(e.getValue());
            properties.put(e.getKey(), new Schema.Property(schema, schema.description()));
        });
        return new Schema.ObjectType(null, description, Collections.unmodifiableMap(properties),
                strings(node.path("required")), keepsUnknown);
    }

    /** Adds apiVersion, kind and an ObjectMeta metadata to an object, replacing any declared ones. */
    private Schema.ObjectType withResourceFields(Schema schema, String name) {
        Schema.ObjectType object = schema instanceof Schema.ObjectType o ? o
                : new Schema.ObjectType(null, schema.description(), Map.of(), List.of(),
                schema instanceof Schema.AnyValue);
        Map<String, Schema.Property> properties = new LinkedHashMap<>();
        properties.put("apiVersion", new Schema.Property(new Schema.Scalar(Schema.ScalarKind.STRING, null,
                List.of(), ""), ""));
        properties.put("kind", new Schema.Property(new Schema.Scalar(Schema.ScalarKind.STRING, null,
                List.of(), ""), ""));
        properties.put("metadata", new Schema.Property(models.objectMeta(), ""));
        object.properties().forEach(properties::putIfAbsent);
        return new Schema.ObjectType(name, object.description(), Collections.unmodifiableMap(properties),
                object.required(), object.preserveUnknownFields());
    }

    private static Schema.Scalar scalar(Schema.ScalarKind kind, JsonNode node, String description) {
        List<String> enumValues = new ArrayList<>();
        node.path("enum").forEach(v -> enumValues.add(v.isTextual() ? v.textValue() : v.toString()));
        return new Schema.Scalar(kind, textOrNull(node.path("format")), List.copyOf(enumValues), description);
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.textValue() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return List.copyOf(values);
    }
}
