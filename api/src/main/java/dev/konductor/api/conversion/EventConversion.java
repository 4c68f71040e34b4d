package dev.konductor.api.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * events.k8s.io/v1 Events and core v1 Events are the same objects under different field names.
 * Fields each side always serializes (Go struct values, non-omitempty strings and timestamps)
 * are filled in so that either view looks as upstream's does.
 */
final class EventConversion {

    /** events.k8s.io/v1 field name to core/v1 field name; the rest share names. */
    private static final Map<String, String> RENAMES = Map.of(
            "regarding", "involvedObject",
            "note", "message",
            "reportingController", "reportingComponent",
            "deprecatedSource", "source",
            "deprecatedFirstTimestamp", "firstTimestamp",
            "deprecatedLastTimestamp", "lastTimestamp",
            "deprecatedCount", "count");

    private EventConversion() {
    }

    static ObjectNode eventsToCore(ObjectNode in) {
        ObjectNode out = rename(in, false);
        putIfAbsent(out, "involvedObject", out.objectNode());
        putIfAbsent(out, "source", out.objectNode());
        for (String time : new String[] {"firstTimestamp", "lastTimestamp", "eventTime"}) {
            putIfAbsent(out, time, out.nullNode());
        }
        putIfAbsent(out, "reportingComponent", out.textNode(""));
        putIfAbsent(out, "reportingInstance", out.textNode(""));
        return out;
    }

    static ObjectNode coreToEvents(ObjectNode in) {
        ObjectNode out = rename(in, true);
        // events.k8s.io omits empty strings and counts that core/v1 always writes.
        for (String field : new String[] {"reportingController", "reportingInstance", "action", "reason", "note", "type"}) {
            JsonNode v = out.get(field);
            if (v != null && v.isTextual() && v.textValue().isEmpty()) {
                out.remove(field);
            }
        }
        JsonNode count = out.get("deprecatedCount");
        if (count != null && count.isNumber() && count.asLong() == 0) {
            out.remove("deprecatedCount");
        }
        putIfAbsent(out, "eventTime", out.nullNode());
        putIfAbsent(out, "regarding", out.objectNode());
        putIfAbsent(out, "deprecatedSource", out.objectNode());
        putIfAbsent(out, "deprecatedFirstTimestamp", out.nullNode());
        putIfAbsent(out, "deprecatedLastTimestamp", out.nullNode());
        return out;
    }

    private static ObjectNode rename(ObjectNode in, boolean coreToEvents) {
        ObjectNode out = in.objectNode();
        in.properties().forEach(e -> {
            String name = coreToEvents ? reverse(e.getKey()) : RENAMES.getOrDefault(e.getKey(), e.getKey());
            out.set(name, e.getValue().deepCopy());
        });
        return out;
    }

    private static String reverse(String coreName) {
        for (Map.Entry<String, String> e : RENAMES.entrySet()) {
            if (e.getValue().equals(coreName)) {
                return e.getKey();
            }
        }
        return coreName;
    }

    private static void putIfAbsent(ObjectNode o, String field, JsonNode value) {
        if (!o.has(field)) {
            o.set(field, value);
        }
    }
}
