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

    /** The last second formatted: every write stamps its entry, most of them within the same second. */
    private static volatile FormattedSecond lastFormatted = new FormattedSecond(Long.MIN_VALUE, "");

    private record FormattedSecond(long epochSecond, String text) {
    }

    public ManagedFieldsEntry {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(fields, "fields");
        manager = manager == null ? "" : manager;
        subresource = subresource == null || subresource.isEmpty() ? null : subresource;
    }

    /** Formats a time as managedFields carries it: UTC, whole seconds. */
    public static String formatTime(Instant t) {
        FormattedSecond last = lastFormatted;
        if (last.epochSecond() == t.getEpochSecond()) {
            return last.text();
        }
        String text = RFC3339.format(t.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
        lastFormatted = new FormattedSecond(t.getEpochSecond(), text);
        return text;
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
        return fromJson(o, false);
    }

    /**
     * Reads one entry of a stored object, which this server wrote: its fields are parsed only if
     * a write needs them ({@link FieldSet#ofStoredFieldsV1}).
     */
    static ManagedFieldsEntry fromStoredJson(JsonNode o) {
        return fromJson(o, true);
    }

    private static ManagedFieldsEntry fromJson(JsonNode o, boolean stored) {
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
                text(o, "subresource"),
                stored ? FieldSet.ofStoredFieldsV1(o.get("fieldsV1")) : FieldSet.fromFieldsV1(o.get("fieldsV1")));
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
        long utc = utcSeconds(time);
        if (utc >= 0) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(time).toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            return 0;
        }
    }

    /**
     * Epoch seconds of a time in the form this server writes ({@code 2026-01-02T03:04:05Z}), or -1
     * for any other form. Every write sorts the entries by time, so the common form skips the
     * general parser.
     */
    static long utcSeconds(String t) {
        if (t.length() != 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(19) != 'Z') {
            return -1;
        }
        int year = digits(t, 0, 4), month = digits(t, 5, 2), day = digits(t, 8, 2);
        int hour = digits(t, 11, 2), minute = digits(t, 14, 2), second = digits(t, 17, 2);
        if (year < 1970 || month < 1 || month > 12 || day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()
                || hour > 23 || minute > 59 || second > 59) {
            return -1;
        }
        return java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3600L + minute * 60L + second;
    }

    /** The decimal number in {@code t[from, from+count)}, or -1000000 when a character is not a digit. */
    private static int digits(String t, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1_000_000;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** What makes two entries the same entry. */
    record Identity(String manager, String operation, String apiVersion, String subresource) {
    }
}
