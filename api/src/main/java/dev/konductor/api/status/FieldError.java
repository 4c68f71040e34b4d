package dev.konductor.api.status;

/**
 * One problem with one field, as upstream's {@code field.Error}: {@code reason} is the cause type
 * ({@code FieldValueRequired}, {@code FieldValueInvalid}, {@code FieldValueNotSupported},
 * {@code FieldValueDuplicate}, {@code FieldValueNotFound}, {@code FieldValueForbidden}, {@code FieldValueTooLong},
 * {@code FieldValueTypeInvalid}), {@code field} the JSON path ({@code spec.containers[0].image}),
 * {@code message} the full text ({@code Required value}, {@code Invalid value: "x": ...}).
 */
public record FieldError(String reason, String field, String message) {

    public static FieldError required(String field) {
        return required(field, null);
    }

    public static FieldError required(String field, String detail) {
        return new FieldError("FieldValueRequired", field, "Required value" + suffix(detail));
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError("FieldValueInvalid", field, "Invalid value: " + render(value) + suffix(detail));
    }

    public static FieldError notSupported(String field, Object value, java.util.Collection<String> supported) {
        StringBuilder s = new StringBuilder("Unsupported value: ").append(render(value));
        if (supported != null && !supported.isEmpty()) {
            s.append(": supported values: ");
            s.append(String.join(", ", supported.stream().map(v -> "\"" + v + "\"").toList()));
        }
        return new FieldError("FieldValueNotSupported", field, s.toString());
    }

    public static FieldError duplicate(String field, Object value) {
        return new FieldError("FieldValueDuplicate", field, "Duplicate value: " + render(value));
    }

    public static FieldError notFound(String field, Object value) {
        return new FieldError("FieldValueNotFound", field, "Not found: " + render(value));
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError("FieldValueForbidden", field, "Forbidden" + suffix(detail));
    }

    public static FieldError tooLong(String field, int max) {
        return new FieldError("FieldValueTooLong", field, "Too long: may not be more than " + max + " bytes");
    }

    /** A field the schema does not know ({@code fieldValidation=Strict}). */
    public static FieldError unknownField(String field) {
        return new FieldError("FieldValueInvalid", field, "unknown field \"" + field + "\"");
    }

    private static String suffix(String detail) {
        return detail == null || detail.isEmpty() ? "" : ": " + detail;
    }

    private static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof com.fasterxml.jackson.databind.JsonNode n) {
            return n.isTextual() ? "\"" + n.textValue() + "\"" : n.toString();
        }
        return String.valueOf(value);
    }
}
