package dev.konductor.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Cells of custom resource columns, typed by the column's declared type as upstream's CRD table
 * convertor does: a value of the wrong JSON type is an empty cell, and a {@code date} is shown as
 * an age.
 */
final class CustomCells {

    private CustomCells() {
    }

    static Object cell(String type, JsonNode value, Instant now) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return switch (type) {
            case "integer" -> value.isNumber() ? (Object) value.longValue() : null;
            case "number" -> value.isNumber() ? (Object) value.doubleValue() : null;
            case "boolean" -> value.isBoolean() ? (Object) value.booleanValue() : null;
            case "string" -> value.isValueNode() ? value.asText() : value.toString();
            case "date" -> value.isTextual() ? age(value.asText(), now) : null;
            default -> null;
        };
    }

    private static String age(String timestamp, Instant now) {
        try {
            return Durations.human(Duration.between(OffsetDateTime.parse(timestamp).toInstant(), now));
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
    }
}
