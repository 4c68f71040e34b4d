package dev.konductor.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads fields of JSON objects with Go's zero-value semantics, which is what upstream's printers
 * see after decoding: an absent string is {@code ""}, an absent number is {@code 0}. Also the
 * formatting helpers several printers share (labels, selectors, ages, container lists).
 */
final class ObjectFields {

    private ObjectFields() {
    }

    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node;
        for (String key : path) {
            if (current == null || !current.isObject()) {
                return MissingNode.getInstance();
            }
            current = current.get(key);
        }
        return current == null || current.isNull() ? MissingNode.getInstance() : current;
    }

    static boolean present(JsonNode node, String... path) {
        return !at(node, path).isMissingNode();
    }

    static String text(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isValueNode() ? value.asText() : "";
    }

    static long integer(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isNumber() ? value.longValue() : 0;
    }

    static boolean bool(JsonNode node, String... path) {
        return at(node, path).asBoolean(false);
    }

    static List<JsonNode> items(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        List<JsonNode> out = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(out::add);
        }
        return out;
    }

    static int size(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isContainerNode() ? value.size() : 0;
    }

    static Optional<Instant> instant(JsonNode timestamp) {
        if (timestamp == null || !timestamp.isTextual() || timestamp.asText().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(timestamp.asText()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Upstream's translateTimestampSince: {@code <unknown>} for an unset time. */
    static String since(JsonNode timestamp, Instant now) {
        return instant(timestamp).map(t -> Durations.human(Duration.between(t, now))).orElse("<unknown>");
    }

    static String age(JsonNode object, Instant now) {
        return since(at(object, "metadata", "creationTimestamp"), now);
    }

    static String name(JsonNode object) {
        return text(object, "metadata", "name");
    }

    /** {@code labels.FormatLabels}: sorted {@code k=v} pairs, or {@code <none>}. */
    static String formatLabels(JsonNode labels) {
        TreeMap<String, String> sorted = new TreeMap<>();
        if (labels != null && labels.isObject()) {
            labels.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
        }
        if (sorted.isEmpty()) {
            return "<none>";
        }
        List<String> pairs = new ArrayList<>();
        sorted.forEach((k, v) -> pairs.add(k + "=" + v));
        return String.join(",", pairs);
    }

    /** {@code metav1.FormatLabelSelector}: the selector string, or {@code <none>} when it selects everything or nothing. */
    static String formatLabelSelector(JsonNode selector) {
        Optional<String> text = selectorString(selector);
        if (text.isEmpty()) {
            return "<error>";
        }
        return text.get().isEmpty() ? "<none>" : text.get();
    }

    /**
     * A label selector in upstream's string form ({@code app=web,tier in (a,b),!legacy}),
     * requirements sorted by key and values sorted; empty when absent; empty Optional when an
     * operator is not one of In, NotIn, Exists, DoesNotExist.
     */
    static Optional<String> selectorString(JsonNode selector) {
        record Requirement(String key, String text) {
        }
        List<Requirement> requirements = new ArrayList<>();
        at(selector, "matchLabels").properties().forEach(e ->
                requirements.add(new Requirement(e.getKey(), e.getKey() + "=" + e.getValue().asText())));
        for (JsonNode expression : items(selector, "matchExpressions")) {
            String key = text(expression, "key");
            List<String> values = new ArrayList<>();
            items(expression, "values").forEach(v -> values.add(v.asText()));
            values.sort(Comparator.naturalOrder());
            String rendered = switch (text(expression, "operator")) {
                case "In" -> key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> null;
            };
            if (rendered == null) {
                return Optional.empty();
            }
            requirements.add(new Requirement(key, rendered));
        }
        requirements.sort(Comparator.comparing(Requirement::key));
        return Optional.of(String.join(",", requirements.stream().map(Requirement::text).toList()));
    }

    /** The Containers and Images cells of workload printers: comma-joined, in template order. */
    static List<Object> containerCells(JsonNode podSpec) {
        List<String> names = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode container : items(podSpec, "containers")) {
            names.add(text(container, "name"));
            images.add(text(container, "image"));
        }
        return List.of(String.join(",", names), String.join(",", images));
    }

    /** An IntOrString as upstream's {@code String()} renders it. */
    static String intOrString(JsonNode value) {
        return value.isNumber() ? Long.toString(value.longValue()) : value.asText();
    }

    /** A Quantity as stored; Go's zero Quantity prints {@code 0}. */
    static String quantity(JsonNode value) {
        return value.isMissingNode() || value.asText().isEmpty() ? "0" : value.asText();
    }
}
