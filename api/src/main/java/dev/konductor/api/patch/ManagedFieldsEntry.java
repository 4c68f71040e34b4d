package dev.konductor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One {@code metadata.managedFields} entry: which fields one manager owns, and how it came to own
 * them ({@code Apply} or {@code Update}, through which subresource and API version).
 *
 * @param time        RFC 3339 in whole seconds ({@code 2026-01-02T03:04:05Z}), or null
 * @param subresource null for the main resource, else {@code status}, {@code scale}, ...
 */
public record ManagedFieldsEntry(String manager, String operation, String apiVersion, String time,
                                 String subresource, FieldSet fields) {

    public static final String APPLY = "Apply";
    public static final String UPDATE = "Update";

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    public ManagedFieldsEntry {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(fields, "fields");
        manager = manager == null ? "" : manager;
        subresource = subresource == null || subresource.isEmpty() ? null : subresource;
    }

    /** Formats a time as managedFields carries it: UTC, whole seconds. */
    public static String formatTime(Instant t) {
        return RFC3339.format(t.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }

    /**
     * The identity that groups writes into one entry, as upstream's {@code BuildManagerIdentifier}:
     * manager, operation and subresource, plus the API version for updates (appliers keep one entry
     * across versions).
     */
    Identity identity() {
        return new Identity(manager, operation, APPLY.equals(operation) ? null : apiVersion, subresource);
    }

    /** The manager as upstream names it in conflict messages. */
    String describe() {
        StringBuilder s = new StringBuilder("\"").append(manager).append('"');
        if (subresource != null) {
            s.append(" with subresource \"").append(subresource).append('"');
        }
        if (UPDATE.equals(operation)) {
            s.append(" using ").append(apiVersion);
        }
        return s.toString();
    }

    ManagedFieldsEntry withFields(FieldSet f) {
        return new ManagedFieldsEntry(manager, operation, apiVersion, time, subresource, f);
    }

    ManagedFieldsEntry withTime(String t) {
        return new ManagedFieldsEntry(manager, operation, apiVersion, t, subresource, fields);
    }

    /** The wire form, with keys in the order upstream's Go struct writes them. */
    public ObjectNode toJson() {
        ObjectNode o = JsonValues.NODES.objectNode();
        o.put("manager", manager);
        o.put("operation", operation);
        if (apiVersion != null) {
            o.put("apiVersion", apiVersion);
        }
        if (time != null) {
            o.put("time", time);
        }
        o.put("fieldsType", "FieldsV1");
        o.set("fieldsV1", fields.toFieldsV1());
        if (subresource != null) {
            o.put("subresource", subresource);
        }
        return o;
    }

    /** Reads one wire entry; throws IllegalArgumentException when it is not a valid FieldsV1 entry. */
    public static ManagedFieldsEntry fromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("managedFields entry must be an object");
        }
        String fieldsType = o.path("fieldsType").asText("");
        if (!"FieldsV1".equals(fieldsType)) {
            throw new IllegalArgumentException("invalid fieldsType \"" + fieldsType + "\"");
        }
        String operation = o.path("operation").asText("");
        if (!APPLY.equals(operation) && !UPDATE.equals(operation)) {
            throw new IllegalArgumentException("invalid operation \"" + operation + "\"");
        }
        return new ManagedFieldsEntry(text(o, "manager"), operation, text(o, "apiVersion"), text(o, "time"),
                text(o, "subresource"), FieldSet.fromFieldsV1(o.get("fieldsV1")));
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Seconds since the epoch of {@link #time}, 0 when absent or unparseable, for upstream's sort. */
    long epochSeconds() {
        if (time == null) {
            return 0;
        }
        try {
            return OffsetDateTime.parse(time).toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            return 0;
        }
    }

    /** What makes two entries the same entry. */
    record Identity(String manager, String operation, String apiVersion, String subresource) {
    }
}
