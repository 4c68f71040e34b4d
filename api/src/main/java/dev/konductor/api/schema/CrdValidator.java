package dev.konductor.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.api.status.FieldError;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validates a custom resource against its CRD's {@code openAPIV3Schema}, reporting problems in
 * the words upstream's apiextensions validation uses, so that {@code kubectl} prints the same
 * lines: {@code spec.replicas: Invalid value: "string": spec.replicas in body must be of type
 * integer: "string"}, {@code spec.size: Required value}, {@code spec.replicas: Invalid value: 20:
 * spec.replicas in body should be less than or equal to 10}.
 *
 * <p>A value whose type is wrong is reported once and not looked into further, as upstream does.
 * CEL rules ({@code x-kubernetes-validations}) are not evaluated.
 */
public final class CrdValidator {

    private CrdValidator() {
    }

    /** Every problem with {@code obj}; empty if it is valid. */
    public static List<FieldError> validate(JsonNode obj, JsonNode openAPIV3Schema) {
        List<FieldError> errors = new ArrayList<>();
        if (openAPIV3Schema != null && !openAPIV3Schema.isMissingNode()) {
            validateValue(obj, openAPIV3Schema, "", errors);
        }
        return errors;
    }

    private static void validateValue(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && expectedType(schema) != null) {
                errors.add(typeInvalid(path, "null", expectedType(schema)));
            }
            return;
        }
        String expected = expectedType(schema);
        if (expected != null && !hasType(value, expected)) {
            errors.add(typeInvalid(path, jsonType(value), expected));
            return;
        }
        validateEnum(value, schema, path, errors);
        if (value.isNumber()) {
            validateNumber(value, schema, path, errors);
        } else if (value.isTextual()) {
            validateString(value.textValue(), schema, path, errors);
        } else if (value.isArray()) {
            validateArray(value, schema, path, errors);
        } else if (value.isObject()) {
            validateObject(value, schema, path, errors);
        }
    }

    /** The type a value must have, or null when any will do. */
    private static String expectedType(JsonNode schema) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return "integer-or-string";
        }
        String type = schema.path("type").asText("");
        return type.isEmpty() ? null : type;
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "integer-or-string" -> value.isIntegralNumber() || value.isTextual();
            default -> true;
        };
    }

    private static void validateEnum(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
        JsonNode allowed = schema.path("enum");
        if (!allowed.isArray() || allowed.isEmpty()) {
            return;
        }
        List<String> supported = new ArrayList<>();
        for (JsonNode candidate : allowed) {
            if (sameValue(candidate, value)) {
                return;
            }
            supported.add(candidate.isTextual() ? candidate.textValue() : candidate.toString());
        }
        errors.add(FieldError.notSupported(path, value, supported));
    }

    private static void validateNumber(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
        BigDecimal number = value.decimalValue();
        JsonNode maximum = schema.path("maximum");
        if (maximum.isNumber()) {
            boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
            int cmp = number.compareTo(maximum.decimalValue());
            if (exclusive ? cmp >= 0 : cmp > 0) {
                errors.add(invalid(path, value, (exclusive ? "should be less than " : "should be less than or equal to ")
                        + render(maximum)));
            }
        }
        JsonNode minimum = schema.path("minimum");
        if (minimum.isNumber()) {
            boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
            int cmp = number.compareTo(minimum.decimalValue());
            if (exclusive ? cmp <= 0 : cmp < 0) {
                errors.add(invalid(path, value, (exclusive ? "should be greater than "
                        : "should be greater than or equal to ") + render(minimum)));
            }
        }
        JsonNode multipleOf = schema.path("multipleOf");
        if (multipleOf.isNumber() && multipleOf.decimalValue().signum() != 0
                && number.remainder(multipleOf.decimalValue()).signum() != 0) {
            errors.add(invalid(path, value, "should be a multiple of " + render(multipleOf)));
        }
        String format = schema.path("format").asText("");
        if (value.isIntegralNumber() && (format.equals("int32") && !value.canConvertToInt()
                || format.equals("int64") && !value.canConvertToLong())) {
            errors.add(typeInvalid(path, value.asText(), format));
        }
    }

    private static void validateString(String value, JsonNode schema, String path, List<FieldError> errors) {
        int length = value.codePointCount(0, value.length());
        JsonNode maxLength = schema.path("maxLength");
        if (maxLength.canConvertToInt() && length > maxLength.intValue()) {
            errors.add(FieldError.tooLong(path, maxLength.intValue()));
        }
        JsonNode minLength = schema.path("minLength");
        if (minLength.canConvertToInt() && length < minLength.intValue()) {
            errors.add(invalid(path, value, "should be at least " + minLength.intValue() + " chars long"));
        }
        JsonNode pattern = schema.path("pattern");
        if (pattern.isTextual() && !matches(pattern.textValue(), value)) {
            errors.add(invalid(path, value, "should match '" + pattern.textValue() + "'"));
        }
    }

    private static boolean matches(String pattern, String value) {
        try {
            return Pattern.compile(pattern).matcher(value).find();
        } catch (PatternSyntaxException e) {
            // a pattern Java cannot compile was accepted by the CRD's RE2 check; do not block writes on it
            return true;
        }
    }

    private static void validateArray(JsonNode array, JsonNode schema, String path, List<FieldError> errors) {
        int size = array.size();
        JsonNode maxItems = schema.path("maxItems");
        if (maxItems.canConvertToInt() && size > maxItems.intValue()) {
            errors.add(tooMany(path, size, maxItems.intValue()));
        }
        JsonNode minItems = schema.path("minItems");
        if (minItems.canConvertToInt() && size < minItems.intValue()) {
            errors.add(invalid(path, size, "should have at least " + minItems.intValue() + " items"));
        }
        if (schema.path("uniqueItems").asBoolean(false) && hasDuplicates(array)) {
            errors.add(invalid(path, "", "shouldn't contain duplicates"));
        }
        JsonNode items = schema.path("items");
        if (items.isObject()) {
            for (int i = 0; i < size; i++) {
                validateValue(array.get(i), items, path + "[" + i + "]", errors);
            }
        }
    }

    private static void validateObject(JsonNode object, JsonNode schema, String path, List<FieldError> errors) {
        int size = object.size();
        JsonNode maxProperties = schema.path("maxProperties");
        if (maxProperties.canConvertToInt() && size > maxProperties.intValue()) {
            errors.add(tooMany(path, size, maxProperties.intValue()));
        }
        JsonNode minProperties = schema.path("minProperties");
        if (minProperties.canConvertToInt() && size < minProperties.intValue()) {
            errors.add(invalid(path, size, "should have at least " + minProperties.intValue() + " properties"));
        }
        for (JsonNode required : schema.path("required")) {
            if (!object.has(required.asText())) {
                errors.add(FieldError.required(child(path, required.asText())));
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        object.properties().forEach(e -> {
            JsonNode propertySchema = properties.path(e.getKey());
            if (propertySchema.isObject()) {
                validateValue(e.getValue(), propertySchema, child(path, e.getKey()), errors);
            } else if (additional.isObject()) {
                validateValue(e.getValue(), additional, child(path, e.getKey()), errors);
            }
        });
    }

    private static boolean hasDuplicates(JsonNode array) {
        Set<JsonNode> seen = new HashSet<>();
        for (JsonNode item : array) {
            if (!seen.add(item)) {
                return true;
            }
        }
        return false;
    }

    /** JSON equality where 1 and 1.0 are the same number, as Go's decoding makes them. */
    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static FieldError typeInvalid(String path, String actual, String expected) {
        String detail = subject(path) + " must be of type " + expected + ": \"" + actual + "\"";
        FieldError invalid = FieldError.invalid(path, actual, detail);
        return new FieldError("FieldValueTypeInvalid", invalid.field(), invalid.message());
    }

    private static FieldError invalid(String path, Object value, String detail) {
        return FieldError.invalid(path, value, subject(path) + " " + detail);
    }

    private static FieldError tooMany(String path, int actual, int max) {
        return new FieldError("FieldValueTooMany", path,
                "Too many: " + actual + ": must have at most " + max + (max == 1 ? " item" : " items"));
    }

    /** How upstream's OpenAPI validator names a value in its messages. */
    private static String subject(String path) {
        return path.isEmpty() ? "in body" : path + " in body";
    }

    private static String jsonType(JsonNode value) {
        if (value.isTextual()) {
            return "string";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        return value.isArray() ? "array" : value.isObject() ? "object" : "null";
    }

    private static String render(JsonNode number) {
        BigDecimal value = number.decimalValue().stripTrailingZeros();
        return value.scale() <= 0 ? value.toBigInteger().toString() : value.toPlainString();
    }
}
