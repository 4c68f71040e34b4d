package dev.konductor.apiserver.printers;

import static dev.konductor.apiserver.printers.ObjectFields.at;
import static dev.konductor.apiserver.printers.ObjectFields.integer;
import static dev.konductor.apiserver.printers.ObjectFields.items;
import static dev.konductor.apiserver.printers.ObjectFields.present;
import static dev.konductor.apiserver.printers.ObjectFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The HPA TARGETS column: {@code cpu: 40%/80%}, {@code 250m/500m (avg)},
 * {@code <unknown>/80%} before metrics arrive; two metrics at most, then {@code + N more...}.
 *
 * <p>An autoscaling/v1 object has no {@code metrics}; its CPU target is shown as the equivalent
 * v2 resource metric, which is what upstream prints after converting it.
 */
final class HpaTargets {

    private static final int SHOWN = 2;
    private static final String UNKNOWN = "<unknown>";

    private HpaTargets() {
    }

    static String format(ObjectNode hpa) {
        List<JsonNode> specs = items(hpa, "spec", "metrics");
        List<JsonNode> statuses = items(hpa, "status", "currentMetrics");
        if (specs.isEmpty()) {
            return v1CpuTarget(hpa);
        }
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < specs.size() && shown.size() < SHOWN; i++) {
            JsonNode status = i < statuses.size() ? statuses.get(i) : null;
            shown.add(metric(specs.get(i), status));
        }
        String joined = String.join(", ", shown);
        return specs.size() > SHOWN ? joined + " + " + (specs.size() - SHOWN) + " more..." : joined;
    }

    private static String v1CpuTarget(ObjectNode hpa) {
        if (!present(hpa, "spec", "targetCPUUtilizationPercentage")) {
            return "<none>";
        }
        String current = present(hpa, "status", "currentCPUUtilizationPercentage")
                ? integer(hpa, "status", "currentCPUUtilizationPercentage") + "%" : UNKNOWN;
        return "cpu: " + current + "/" + integer(hpa, "spec", "targetCPUUtilizationPercentage") + "%";
    }

    /** One metric; {@code status} is the status entry at the same index, if any. */
    private static String metric(JsonNode spec, JsonNode status) {
        String type = text(spec, "type");
        return switch (type) {
            case "External" -> valueMetric(at(spec, "external", "target"), current(status, "external"));
            case "Object" -> valueMetric(at(spec, "object", "target"), current(status, "object"));
            case "Pods" -> currentOr(current(status, "pods"), "averageValue") + "/"
                    + quantity(at(spec, "pods", "target", "averageValue"));
            case "Resource" -> resourceMetric(at(spec, "resource"), current(status, "resource"));
            case "ContainerResource" -> resourceMetric(at(spec, "containerResource"), current(status, "containerResource"));
            default -> "<unknown type>";
        };
    }

    /** {@code current/target}, or {@code current/target (avg)} for an averageValue target. */
    private static String valueMetric(JsonNode target, JsonNode current) {
        if (present(target, "averageValue")) {
            return currentOr(current, "averageValue") + "/" + quantity(at(target, "averageValue")) + " (avg)";
        }
        return currentOr(current, "value") + "/" + quantity(at(target, "value"));
    }

    private static String resourceMetric(JsonNode source, JsonNode current) {
        String name = text(source, "name") + ": ";
        JsonNode target = at(source, "target");
        if (present(target, "averageValue")) {
            return name + currentOr(current, "averageValue") + "/" + quantity(at(target, "averageValue"));
        }
        String now = current != null && present(current, "averageUtilization")
                ? integer(current, "averageUtilization") + "%" : UNKNOWN;
        String goal = present(target, "averageUtilization") ? integer(target, "averageUtilization") + "%" : "<auto>";
        return name + now + "/" + goal;
    }

    /** The {@code current} block of the status entry of this source type, or null. */
    private static JsonNode current(JsonNode status, String source) {
        if (status == null || !present(status, source)) {
            return null;
        }
        return at(status, source, "current");
    }

    private static String currentOr(JsonNode current, String field) {
        return current == null || !present(current, field) ? UNKNOWN : quantity(at(current, field));
    }

    /** A Quantity; a missing one is Go's zero Quantity, printed {@code 0}. */
    private static String quantity(JsonNode value) {
        return ObjectFields.quantity(value);
    }
}
