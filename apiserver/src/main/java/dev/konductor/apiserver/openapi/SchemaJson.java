package dev.konductor.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.schema.Descriptions;
import dev.konductor.api.schema.Schema;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Renders {@link Schema}s as OpenAPI schema objects in upstream's shape, and collects the named
 * definitions they refer to. One instance renders one document.
 *
 * <p>Named objects become {@code $ref}s to a definition; unnamed ones (inside custom resources) are
 * inlined. Int-or-string, quantities and times refer to upstream's definitions for them, whose shape
 * differs between OpenAPI 2 and 3. A reference that needs siblings (a description, a patch strategy)
 * is wrapped in a one-element {@code allOf} in OpenAPI 3, as upstream's server does, since OpenAPI 3.0
 * ignores siblings of {@code $ref}; OpenAPI 2 documents keep them beside the {@code $ref}.
 */
final class SchemaJson {

    static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    static final String TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
    static final String PATCH = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Dialect dialect;
    /** Object-level patch strategies ({@code retainKeys}) by definition name and property. */
    private final BiFunction<String, String, Optional<String>> fieldStrategy;
    /** Documentation of built-in definitions, for the types and properties that carry none themselves. */
    private final Descriptions descriptions;
    private final Map<String, ObjectNode> definitions = new TreeMap<>();
    private final Deque<Schema.ObjectType> pending = new ArrayDeque<>();

    SchemaJson(Dialect dialect, BiFunction<String, String, Optional<String>> fieldStrategy, Descriptions descriptions) {
        this.dialect = dialect;
        this.fieldStrategy = fieldStrategy;
        this.descriptions = descriptions;
    }

    /** A reference to a definition, which is added to the document. */
    ObjectNode ref(Schema.ObjectType type) {
        require(type);
        return refTo(type.name());
    }

    /** A reference to one of the fixed definitions ({@link #PATCH}, ...), which is added to the document. */
    ObjectNode ref(String fixedDefinition) {
        definitions.computeIfAbsent(fixedDefinition, this::fixedDefinition);
        return refTo(fixedDefinition);
    }

    /**
     * Every definition referred to so far, with their own references resolved, each carrying the
     * GVKs {@code gvks} lists for it; sorted by name.
     */
    ObjectNode definitions(Map<String, List<GroupVersionKind>> gvks) {
        while (!pending.isEmpty()) {
            Schema.ObjectType type = pending.pop();
            definitions.put(type.name(), objectSchema(type, type.name()));
        }
        ObjectNode out = NODES.objectNode();
        definitions.forEach((name, definition) -> {
            List<GroupVersionKind> kinds = gvks.getOrDefault(name, List.of());
            if (!kinds.isEmpty()) {
                definition.set("x-kubernetes-group-version-kind", gvkList(kinds));
            }
            out.set(name, definition);
        });
        return out;
    }

    static ArrayNode gvkList(List<GroupVersionKind> kinds) {
        ArrayNode list = NODES.arrayNode();
        kinds.forEach(k -> list.add(gvk(k)));
        return list;
    }

    static ObjectNode gvk(GroupVersionKind kind) {
        ObjectNode node = NODES.objectNode();
        node.put("group", kind.group());
        node.put("kind", kind.kind());
        node.put("version", kind.version());
        return node;
    }

    private ObjectNode refTo(String name) {
        return NODES.objectNode().put("$ref", dialect.refPrefix() + name);
    }

    private void require(Schema.ObjectType type) {
        // by name only: record equality of ObjectTypes would recurse through cyclic schemas
        if (!definitions.containsKey(type.name())) {
            // the placeholder reserves the name until the pending queue renders it
            definitions.put(type.name(), NODES.objectNode());
            pending.push(type);
        }
    }

    private ObjectNode objectSchema(Schema.ObjectType type, String definitionName) {
        ObjectNode node = NODES.objectNode();
        description(node, orDocumented(type.description(), descriptions.ofType(definitionName)));
        node.put("type", "object");
        if (!type.properties().isEmpty()) {
            ObjectNode properties = node.putObject("properties");
            type.properties().forEach((name, property) ->
                    properties.set(name, property(property, definitionName, name)));
        }
        if (!type.required().isEmpty()) {
            ArrayNode required = node.putArray("required");
            type.required().forEach(required::add);
        }
        if (type.preserveUnknownFields() && definitionName == null) {
            node.put("x-kubernetes-preserve-unknown-fields", true);
        }
        return node;
    }

    private ObjectNode property(Schema.Property property, String owner, String name) {
        ObjectNode schema = schema(property.schema());
        Optional<String> strategy = owner == null ? Optional.empty() : fieldStrategy.apply(owner, name);
        String description = orDocumented(property.description(), descriptions.ofProperty(owner, name)
                .or(() -> property.schema() instanceof Schema.ObjectType type ? descriptions.ofType(type.name())
                        : Optional.empty()));
        boolean needsSiblings = !description.isEmpty() || strategy.isPresent();
        if (needsSiblings && schema.has("$ref") && dialect == Dialect.V3) {
            ObjectNode wrapped = NODES.objectNode();
            wrapped.putArray("allOf").add(schema);
            schema = wrapped;
        }
        if (!description.isEmpty()) {
            schema.put("description", description);
        }
        if (strategy.isPresent()) {
            schema.put("x-kubernetes-patch-strategy", strategy.get());
        }
        return schema;
    }

    private static String orDocumented(String own, Optional<String> documented) {
        return own != null && !own.isEmpty() ? own : documented.orElse("");
    }

    /** The schema of a value: a reference for named types, inline otherwise. */
    ObjectNode schema(Schema schema) {
        return switch (schema) {
            case Schema.ObjectType object when object.name() != null -> ref(object);
            case Schema.ObjectType object -> objectSchema(object, null);
            case Schema.ArrayType array -> arraySchema(array);
            case Schema.MapType map -> {
                ObjectNode node = NODES.objectNode();
                description(node, map.description());
                node.put("type", "object");
                node.set("additionalProperties", schema(map.values()));
                yield node;
            }
            case Schema.Scalar scalar -> scalarSchema(scalar);
            case Schema.IntOrString i -> ref(INT_OR_STRING);
            case Schema.Quantity q -> ref(QUANTITY);
            case Schema.Time t -> ref(TIME);
            case Schema.AnyValue any -> {
                ObjectNode node = NODES.objectNode();
                description(node, any.description());
                if (dialect == Dialect.V3) {
                    node.put("x-kubernetes-preserve-unknown-fields", true);
                }
                yield node;
            }
        };
    }

    private ObjectNode arraySchema(Schema.ArrayType array) {
        ObjectNode node = NODES.objectNode();
        description(node, array.description());
        node.put("type", "array");
        node.set("items", schema(array.items()));
        if (array.listType() != null) {
            node.put("x-kubernetes-list-type", array.listType());
        }
        if (array.listMapKeys() != null && !array.listMapKeys().isEmpty()) {
            ArrayNode keys = node.putArray("x-kubernetes-list-map-keys");
            array.listMapKeys().forEach(keys::add);
        }
        if (array.patchMergeKey() != null) {
            node.put("x-kubernetes-patch-merge-key", array.patchMergeKey());
        }
        if (array.patchStrategy() != null) {
            node.put("x-kubernetes-patch-strategy", array.patchStrategy());
        }
        return node;
    }

    private static ObjectNode scalarSchema(Schema.Scalar scalar) {
        ObjectNode node = NODES.objectNode();
        description(node, scalar.description());
        node.put("type", switch (scalar.kind()) {
            case STRING -> "string";
            case INTEGER -> "integer";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
        });
        if (scalar.format() != null) {
            node.put("format", scalar.format());
        }
        if (scalar.enumValues() != null && !scalar.enumValues().isEmpty()) {
            ArrayNode values = node.putArray("enum");
            scalar.enumValues().forEach(v -> values.add(enumValue(scalar.kind(), v)));
        }
        return node;
    }

    /** Enum values are kept as text in {@link Schema}; publish them with their JSON type. */
    private static JsonNode enumValue(Schema.ScalarKind kind, String value) {
        try {
            return switch (kind) {
                case INTEGER -> NODES.numberNode(Long.parseLong(value));
                case NUMBER -> NODES.numberNode(new java.math.BigDecimal(value));
                case BOOLEAN -> NODES.booleanNode(Boolean.parseBoolean(value));
                case STRING -> NODES.textNode(value);
            };
        } catch (NumberFormatException e) {
            return NODES.textNode(value);
        }
    }

    private ObjectNode fixedDefinition(String name) {
        ObjectNode node = NODES.objectNode();
        switch (name) {
            case INT_OR_STRING -> {
                node.put("format", "int-or-string");
                if (dialect == Dialect.V3) {
                    ArrayNode oneOf = node.putArray("oneOf");
                    oneOf.addObject().put("type", "integer");
                    oneOf.addObject().put("type", "string");
                } else {
                    node.put("type", "string");
                }
            }
            case QUANTITY -> {
                if (dialect == Dialect.V3) {
                    ArrayNode oneOf = node.putArray("oneOf");
                    oneOf.addObject().put("type", "string");
                    oneOf.addObject().put("type", "number");
                } else {
                    node.put("type", "string");
                }
            }
            case TIME -> node.put("type", "string").put("format", "date-time");
            case PATCH -> node.put("type", "object");
            default -> throw new IllegalArgumentException("no fixed definition " + name);
        }
        return node;
    }

    private static void description(ObjectNode node, String description) {
        if (description != null && !description.isEmpty()) {
            node.put("description", description);
        }
    }
}
