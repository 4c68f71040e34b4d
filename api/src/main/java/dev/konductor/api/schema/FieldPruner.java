package dev.konductor.api.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.konductor.api.json.SharedJsonBuffers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What upstream's decoder notices about fields in a request body, for {@code fieldValidation}
 * ({@code Strict} fails the request, {@code Warn} returns warnings, {@code Ignore} drops silently):
 * unknown fields, duplicate fields, and values of the wrong JSON type.
 *
 * <p>Field paths are upstream's: dotted JSON names with list indexes, no leading dot
 * ({@code spec.containers[0].bogus}); callers wrap them as {@code unknown field "<path>"} and
 * {@code duplicate field "<path>"}.
 */
public final class FieldPruner {

    private static final JsonFactory JSON = SharedJsonBuffers.in(new JsonFactory());

    private FieldPruner() {
    }

    /**
     * Removes every field the schema does not know, in place, and returns their paths in document
     * order. Objects that preserve unknown fields and free-form values are kept whole, but known
     * properties inside them are still pruned (so metadata is always pruned against ObjectMeta).
     */
    public static List<String> pruneUnknown(ObjectNode obj, Schema schema) {
        List<String> pruned = new ArrayList<>();
        prune(obj, schema, "", pruned);
        return pruned;
    }

    private static void prune(JsonNode value, Schema schema, String path, List<String> pruned) {
        switch (schema) {
            case Schema.ObjectType object when value instanceof ObjectNode node -> {
                for (String name : names(node)) {
                    Schema.Property property = object.properties().get(name);
                    if (property != null) {
                        prune(node.get(name), property.schema(), child(path, name), pruned);
                    } else if (!object.preserveUnknownFields()) {
                        node.remove(name);
                        pruned.add(child(path, name));
                    }
                }
            }
            case Schema.ArrayType array when value instanceof ArrayNode node -> {
                for (int i = 0; i < node.size(); i++) {
                    prune(node.get(i), array.items(), path + "[" + i + "]", pruned);
                }
            }
            case Schema.MapType map when value instanceof ObjectNode node -> {
                for (String key : names(node)) {
                    prune(node.get(key), map.values(), child(path, key), pruned);
                }
            }
            default -> {
                // scalars, free-form values, and values of the wrong type (typeErrors reports those)
            }
        }
    }

    /**
     * The errors upstream's JSON decoder reports when a value has the wrong JSON type for a built-in
     * kind, e.g. {@code json: cannot unmarshal string into Go struct field PodSpec.spec.containers
     * of type []v1.Container}. Upstream stops at the first; callers should report only that one,
     * as {@code <Kind> in version "<v>" cannot be handled as a <Kind>: <message>}. Best effort:
     * int-or-string, quantities and times are not checked, nor are custom resources (they are
     * unstructured upstream and get {@link CrdValidator} messages instead).
     */
    public static List<String> typeErrors(JsonNode obj, Schema schema) {
        List<String> errors = new ArrayList<>();
        if (schema instanceof Schema.ObjectType object && object.name() != null && obj.isObject()) {
            checkProperties(obj, object, "", errors);
        }
        return errors;
    }

    private static void checkProperties(JsonNode node, Schema.ObjectType object, String path, List<String> errors) {
        String struct = UpstreamNames.goTypeName(object.name());
        struct = struct.substring(struct.indexOf('.') + 1);
        for (var entry : node.properties()) {
            Schema.Property property = object.properties().get(entry.getKey());
            if (property != null) {
                checkValue(entry.getValue(), property.schema(), struct, child(path, entry.getKey()), errors);
            }
        }
    }

    private static void checkValue(JsonNode value, Schema schema, String struct, String path, List<String> errors) {
        if (value.isNull()) {
            return;
        }
        String goType = goType(schema);
        if (goType == null) {
            return;
        }
        if (!accepts(schema, value)) {
            errors.add("json: cannot unmarshal " + goValueKind(value, schema) + " into Go struct field " + struct
                    + "." + path + " of type " + goType);
            return;
        }
        switch (schema) {
            case Schema.ObjectType object -> checkProperties(value, object, path, errors);
            case Schema.ArrayType array -> value.forEach(item -> checkValue(item, array.items(), struct, path, errors));
            case Schema.MapType map -> value.properties().forEach(
                    e -> checkValue(e.getValue(), map.values(), struct, child(path, e.getKey()), errors));
            default -> {
            }
        }
    }

    private static boolean accepts(Schema schema, JsonNode value) {
        return switch (schema) {
            case Schema.ObjectType o -> value.isObject();
            case Schema.MapType m -> value.isObject();
            case Schema.ArrayType a -> value.isArray();
            case Schema.Scalar s -> switch (s.kind()) {
                case STRING -> value.isTextual();
                case BOOLEAN -> value.isBoolean();
                case NUMBER -> value.isNumber();
                case INTEGER -> value.isIntegralNumber()
                        && ("int32".equals(s.format()) ? value.canConvertToInt() : value.canConvertToLong());
            };
            default -> true;
        };
    }

    /** The Go type upstream decodes into, or null when the value is not checked. */
    private static String goType(Schema schema) {
        return switch (schema) {
            case Schema.ObjectType o -> o.name() == null ? null : UpstreamNames.goTypeName(o.name());
            case Schema.ArrayType a -> prefixed("[]", goType(a.items()));
            case Schema.MapType m -> prefixed("map[string]", goType(m.values()));
            case Schema.Scalar s -> switch (s.kind()) {
                case STRING -> "byte".equals(s.format()) ? null : "string";
                case BOOLEAN -> "bool";
                case NUMBER -> "float64";
                case INTEGER -> "int32".equals(s.format()) ? "int32" : "int64";
            };
            default -> null;
        };
    }

    private static String prefixed(String prefix, String elementType) {
        return elementType == null ? null : prefix + elementType;
    }

    /** How Go's decoder names the offending JSON value: a number that does not fit names itself. */
    private static String goValueKind(JsonNode value, Schema schema) {
        if (value.isNumber()) {
            return schema instanceof Schema.Scalar s && s.kind() == Schema.ScalarKind.INTEGER
                    ? "number " + value.asText() : "number";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "bool";
        }
        return value.isArray() ? "array" : "object";
    }

    /**
     * The paths of fields that appear more than once in the same JSON object, in document order.
     * Jackson's tree model keeps the last value silently, so this reads the raw text.
     *
     * @throws UncheckedIOException if the text is not JSON
     */
    public static List<String> duplicateFields(String json) {
        List<String> duplicates = new ArrayList<>();
        Deque<Set<String>> seen = new ArrayDeque<>();
        try (JsonParser parser = JSON.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT -> seen.push(new HashSet<>());
                    case END_OBJECT -> seen.pop();
                    case FIELD_NAME -> {
                        if (!seen.getFirst().add(parser.currentName())) {
                            duplicates.add(path(parser.getParsingContext()));
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return duplicates;
    }

    private static String path(JsonStreamContext context) {
        Deque<String> segments = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject()) {
                segments.push(c.getCurrentName());
            } else if (c.inArray()) {
                segments.push("[" + c.getCurrentIndex() + "]");
            }
        }
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            if (!path.isEmpty() && !segment.startsWith("[")) {
                path.append('.');
            }
            path.append(segment);
        }
        return path.toString();
    }

    /** A copy of an object's field names, so fields can be removed while iterating. */
    private static List<String> names(ObjectNode node) {
        List<String> names = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
