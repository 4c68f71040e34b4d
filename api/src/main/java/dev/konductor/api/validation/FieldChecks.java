package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.IdentifierSyntax;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.status.FieldError;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks that recur across kinds, each appending upstream's error for one field. They mirror
 * upstream's small validators ({@code ValidateNonnegativeField}, {@code ValidateLabels}, ...).
 */
final class FieldChecks {

    static final String IMMUTABLE = "field is immutable";
    static final String NON_NEGATIVE = "must be greater than or equal to 0";

    private FieldChecks() {
    }

    /** One Invalid error per message, all on {@code path} with {@code value}. */
    static void invalidEach(List<FieldError> errs, FieldPath path, Object value, List<String> messages) {
        for (String m : messages) {
            errs.add(FieldError.invalid(path.toString(), value, m));
        }
    }

    /** {@code field.NotFound}, for which {@link FieldError} has no factory yet. */
    static FieldError notFound(FieldPath path, Object value) {
        String rendered = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        return new FieldError("FieldValueNotFound", path.toString(), "Not found: " + rendered);
    }

    static void nonNegative(List<FieldError> errs, JsonNode parent, String field, FieldPath path) {
        Long v = ObjectTree.integer(parent, field);
        if (v != null && v < 0) {
            errs.add(FieldError.invalid(path.toString(), v, NON_NEGATIVE));
        }
    }

    static void positive(List<FieldError> errs, JsonNode parent, String field, FieldPath path) {
        Long v = ObjectTree.integer(parent, field);
        if (v != null && v <= 0) {
            errs.add(FieldError.invalid(path.toString(), v, "must be greater than 0"));
        }
    }

    /** A string field that must be one of {@code supported} when set ({@code required}: also when unset). */
    static void oneOf(List<FieldError> errs, JsonNode parent, String field, FieldPath path, Collection<String> supported,
                      boolean required) {
        String v = ObjectTree.textOrEmpty(parent, field);
        if (v.isEmpty()) {
            if (required) {
                errs.add(FieldError.required(path.toString()));
            }
        } else if (!supported.contains(v)) {
            errs.add(FieldError.notSupported(path.toString(), v, supported));
        }
    }

    static void requiredText(List<FieldError> errs, JsonNode parent, String field, FieldPath path) {
        if (ObjectTree.textOrEmpty(parent, field).isEmpty()) {
            errs.add(FieldError.required(path.toString()));
        }
    }

    /** {@code ValidateLabels}: key and value problems, all reported on the map's own path. */
    static void labels(List<FieldError> errs, Map<String, String> labels, FieldPath path) {
        new TreeMap<>(labels).forEach((k, v) -> {
            invalidEach(errs, path, k, IdentifierSyntax.qualifiedName(k));
            invalidEach(errs, path, v, IdentifierSyntax.labelValue(v));
        });
    }

    static void dnsLabel(List<FieldError> errs, String value, FieldPath path) {
        invalidEach(errs, path, value, IdentifierSyntax.dns1123Label(value));
    }

    static void dnsSubdomain(List<FieldError> errs, String value, FieldPath path) {
        invalidEach(errs, path, value, IdentifierSyntax.dns1123Subdomain(value));
    }

    /** {@code ValidateImmutableField} on two JSON values (absent equals null). */
    static void immutable(List<FieldError> errs, JsonNode newValue, JsonNode oldValue, FieldPath path) {
        if (!same(newValue, oldValue)) {
            errs.add(FieldError.invalid(path.toString(), newValue == null ? new GoLiteral("null") : newValue, IMMUTABLE));
        }
    }

    static boolean same(JsonNode a, JsonNode b) {
        boolean aAbsent = a == null || a.isNull() || a.isMissingNode();
        boolean bAbsent = b == null || b.isNull() || b.isMissingNode();
        if (aAbsent || bAbsent) {
            return aAbsent == bAbsent;
        }
        return a.equals(b);
    }
}
