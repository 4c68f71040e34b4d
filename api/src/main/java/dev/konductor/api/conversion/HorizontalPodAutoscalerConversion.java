package dev.konductor.api.conversion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.ObjectTree;

/**
 * autoscaling/v1 HorizontalPodAutoscaler to and from autoscaling/v2. v1 carries only a CPU
 * utilization target; everything v2 has beyond that travels in annotations, as upstream does,
 * so that a v2 object read and written back through v1 loses nothing:
 * {@value #METRICS}, {@value #CURRENT_METRICS}, {@value #CONDITIONS} and {@value #BEHAVIOR}.
 * Metrics in annotations use v1's own metric shapes ({@link MetricShapes}).
 */
final class HorizontalPodAutoscalerConversion {

    static final String METRICS = "autoscaling.alpha.kubernetes.io/metrics";
    static final String CURRENT_METRICS = "autoscaling.alpha.kubernetes.io/current-metrics";
    static final String CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";
    static final String BEHAVIOR = "autoscaling.alpha.kubernetes.io/behavior";

    /** Only for (de)serializing annotation values; ObjectMapper is thread-safe once configured. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private HorizontalPodAutoscalerConversion() {
    }

    static ObjectNode v1ToV2(ObjectNode in) {
        ObjectNode out = in.deepCopy();
        ObjectNode annotations = ObjectTree.object(out, "metadata", "annotations");
        ObjectNode spec = ObjectTree.ensureObject(out, "spec");
        ArrayNode metrics = out.arrayNode();
        JsonNode otherMetrics = takeAnnotation(annotations, METRICS);
        if (otherMetrics instanceof ArrayNode others) {
            ObjectTree.elements(others).forEach(m -> metrics.add(MetricShapes.specToV2(m)));
        }
        JsonNode cpu = spec.remove("targetCPUUtilizationPercentage");
        if (cpu != null && !cpu.isNull()) {
            ObjectNode resource = metrics.addObject().put("type", "Resource").putObject("resource");
            resource.put("name", "cpu");
            resource.putObject("target").put("type", "Utilization").set("averageUtilization", cpu);
        }
        if (!metrics.isEmpty()) {
            spec.set("metrics", metrics);
        }
        JsonNode behavior = takeAnnotation(annotations, BEHAVIOR);
        if (behavior != null) {
            spec.set("behavior", behavior);
        }
        ObjectNode status = ObjectTree.object(out, "status");
        JsonNode currentCpu = status == null ? null : status.remove("currentCPUUtilizationPercentage");
        JsonNode currentMetrics = takeAnnotation(annotations, CURRENT_METRICS);
        if (status != null) {
            // The annotation, when present, holds every current metric including CPU.
            if (currentMetrics instanceof ArrayNode all) {
                ArrayNode converted = status.putArray("currentMetrics");
                ObjectTree.elements(all).forEach(m -> converted.add(MetricShapes.statusToV2(m)));
            } else if (currentCpu != null && !currentCpu.isNull()) {
                ObjectNode resource = status.putArray("currentMetrics").addObject().put("type", "Resource")
                        .putObject("resource");
                resource.put("name", "cpu");
                resource.putObject("current").set("averageUtilization", currentCpu);
            }
            JsonNode conditions = takeAnnotation(annotations, CONDITIONS);
            if (conditions != null) {
                status.set("conditions", conditions);
            }
        }
        dropIfEmpty(out, annotations);
        return out;
    }

    static ObjectNode v2ToV1(ObjectNode in) {
        ObjectNode out = in.deepCopy();
        ObjectNode spec = ObjectTree.ensureObject(out, "spec");
        ArrayNode others = out.arrayNode();
        JsonNode metrics = spec.remove("metrics");
        for (ObjectNode m : ObjectTree.elements(metrics)) {
            JsonNode utilization = cpuUtilization(m, "target");
            if (utilization != null) {
                spec.set("targetCPUUtilizationPercentage", utilization);
            } else {
                others.add(MetricShapes.specToV1(m));
            }
        }
        JsonNode behavior = spec.remove("behavior");
        ObjectNode status = ObjectTree.object(out, "status");
        JsonNode currentMetrics = status == null ? null : status.remove("currentMetrics");
        JsonNode conditions = status == null ? null : status.remove("conditions");
        ArrayNode currentV1 = out.arrayNode();
        for (ObjectNode m : ObjectTree.elements(currentMetrics)) {
            JsonNode utilization = cpuUtilization(m, "current");
            if (utilization != null) {
                status.set("currentCPUUtilizationPercentage", utilization);
            }
            // Keep the raw CPU status too: the annotation is the complete list.
            currentV1.add(MetricShapes.statusToV1(m));
        }
        boolean needAnnotations = !others.isEmpty() || !currentV1.isEmpty() || isPresent(behavior) || nonEmpty(conditions);
        if (needAnnotations) {
            ObjectNode annotations = ObjectTree.ensureObject(ObjectTree.ensureObject(out, "metadata"), "annotations");
            if (!others.isEmpty()) {
                annotations.put(METRICS, others.toString());
            }
            if (!currentV1.isEmpty()) {
                annotations.put(CURRENT_METRICS, currentV1.toString());
            }
            if (isPresent(behavior)) {
                annotations.put(BEHAVIOR, behavior.toString());
            }
            if (nonEmpty(conditions)) {
                annotations.put(CONDITIONS, conditions.toString());
            }
        }
        return out;
    }

    /** The CPU averageUtilization of a v2 Resource metric's {@code target} or {@code current}, else null. */
    private static JsonNode cpuUtilization(ObjectNode metric, String side) {
        ObjectNode resource = ObjectTree.object(metric, "resource");
        if (!"Resource".equals(ObjectTree.text(metric, "type")) || resource == null
                || !"cpu".equals(ObjectTree.text(resource, "name"))) {
            return null;
        }
        ObjectNode value = ObjectTree.object(resource, side);
        JsonNode u = value == null ? null : value.get("averageUtilization");
        return u == null || u.isNull() ? null : u;
    }

    private static JsonNode takeAnnotation(ObjectNode annotations, String key) {
        JsonNode raw = annotations == null ? null : annotations.remove(key);
        if (raw == null || !raw.isTextual()) {
            return null;
        }
        try {
            return JSON.readTree(raw.textValue());
        } catch (JsonProcessingException e) {
            // Upstream fails the conversion; a corrupt annotation here is dropped instead of
            // making the object unreadable.
            return null;
        }
    }

    private static void dropIfEmpty(ObjectNode obj, ObjectNode annotations) {
        ObjectNode meta = ObjectTree.object(obj, "metadata");
        if (annotations != null && annotations.isEmpty() && meta != null) {
            meta.remove("annotations");
        }
    }

    private static boolean isPresent(JsonNode n) {
        return n != null && !n.isNull();
    }

    private static boolean nonEmpty(JsonNode n) {
        return n != null && n.isArray() && !n.isEmpty();
    }
}
