package dev.konductor.api.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.ObjectTree;

/**
 * The metric shapes of autoscaling/v1 annotations (flat: {@code targetAverageUtilization},
 * {@code metricName}, ...) to and from autoscaling/v2's nested ones ({@code target.type},
 * {@code metric.name}, ...), for specs and statuses of the five metric source types.
 */
final class MetricShapes {

    private MetricShapes() {
    }

    static ObjectNode specToV1(ObjectNode v2) {
        ObjectNode out = v2.objectNode();
        String type = ObjectTree.textOrEmpty(v2, "type");
        out.put("type", type);
        String field = sourceField(type);
        ObjectNode src = ObjectTree.object(v2, field);
        if (src == null) {
            return out;
        }
        ObjectNode dst = out.putObject(field);
        ObjectNode target = ObjectTree.object(src, "target");
        ObjectNode metric = ObjectTree.object(src, "metric");
        switch (type) {
            case "Resource", "ContainerResource" -> {
                copy(src, "name", dst, "name");
                copy(src, "container", dst, "container");
                copy(target, "averageUtilization", dst, "targetAverageUtilization");
                copy(target, "averageValue", dst, "targetAverageValue");
            }
            case "Pods" -> {
                copy(metric, "name", dst, "metricName");
                copy(metric, "selector", dst, "selector");
                copy(target, "averageValue", dst, "targetAverageValue");
            }
            case "Object" -> {
                copy(src, "describedObject", dst, "target");
                copy(metric, "name", dst, "metricName");
                copy(metric, "selector", dst, "selector");
                copy(target, "value", dst, "targetValue");
                copy(target, "averageValue", dst, "averageValue");
            }
            case "External" -> {
                copy(metric, "name", dst, "metricName");
                copy(metric, "selector", dst, "metricSelector");
                copy(target, "value", dst, "targetValue");
                copy(target, "averageValue", dst, "targetAverageValue");
            }
            default -> dst.setAll(src);
        }
        return out;
    }

    static ObjectNode specToV2(ObjectNode v1) {
        ObjectNode out = v1.objectNode();
        String type = ObjectTree.textOrEmpty(v1, "type");
        out.put("type", type);
        String field = sourceField(type);
        ObjectNode src = ObjectTree.object(v1, field);
        if (src == null) {
            return out;
        }
        ObjectNode dst = out.putObject(field);
        switch (type) {
            case "Resource", "ContainerResource" -> {
                copy(src, "name", dst, "name");
                copy(src, "container", dst, "container");
                ObjectNode target = dst.putObject("target");
                if (ObjectTree.has(src, "targetAverageUtilization")) {
                    target.put("type", "Utilization");
                    copy(src, "targetAverageUtilization", target, "averageUtilization");
                } else {
                    target.put("type", "AverageValue");
                    copy(src, "targetAverageValue", target, "averageValue");
                }
            }
            case "Pods" -> {
                metric(src, "metricName", "selector", dst);
                ObjectNode target = dst.putObject("target").put("type", "AverageValue");
                copy(src, "targetAverageValue", target, "averageValue");
            }
            case "Object", "External" -> {
                if (type.equals("Object")) {
                    copy(src, "target", dst, "describedObject");
                }
                metric(src, "metricName", type.equals("Object") ? "selector" : "metricSelector", dst);
                ObjectNode target = dst.putObject("target");
                String average = type.equals("Object") ? "averageValue" : "targetAverageValue";
                if (ObjectTree.has(src, "targetValue")) {
                    target.put("type", "Value");
                    copy(src, "targetValue", target, "value");
                } else {
                    target.put("type", "AverageValue");
                    copy(src, average, target, "averageValue");
                }
            }
            default -> dst.setAll(src);
        }
        return out;
    }

    static ObjectNode statusToV1(ObjectNode v2) {
        ObjectNode out = v2.objectNode();
        String type = ObjectTree.textOrEmpty(v2, "type");
        out.put("type", type);
        String field = sourceField(type);
        ObjectNode src = ObjectTree.object(v2, field);
        if (src == null) {
            return out;
        }
        ObjectNode dst = out.putObject(field);
        ObjectNode current = ObjectTree.object(src, "current");
        ObjectNode metric = ObjectTree.object(src, "metric");
        copy(src, "name", dst, "name");
        copy(src, "container", dst, "container");
        copy(src, "describedObject", dst, "target");
        copy(metric, "name", dst, "metricName");
        copy(metric, "selector", dst, type.equals("External") ? "metricSelector" : "selector");
        copy(current, "averageUtilization", dst, "currentAverageUtilization");
        copy(current, "value", dst, "currentValue");
        copy(current, "averageValue", dst, type.equals("Object") ? "averageValue" : "currentAverageValue");
        return out;
    }

    static ObjectNode statusToV2(ObjectNode v1) {
        ObjectNode out = v1.objectNode();
        String type = ObjectTree.textOrEmpty(v1, "type");
        out.put("type", type);
        String field = sourceField(type);
        ObjectNode src = ObjectTree.object(v1, field);
        if (src == null) {
            return out;
        }
        ObjectNode dst = out.putObject(field);
        copy(src, "name", dst, "name");
        copy(src, "container", dst, "container");
        copy(src, "target", dst, "describedObject");
        if (ObjectTree.has(src, "metricName")) {
            metric(src, "metricName", type.equals("External") ? "metricSelector" : "selector", dst);
        }
        ObjectNode current = dst.putObject("current");
        copy(src, "currentAverageUtilization", current, "averageUtilization");
        copy(src, "currentValue", current, "value");
        copy(src, type.equals("Object") ? "averageValue" : "currentAverageValue", current, "averageValue");
        return out;
    }

    private static void metric(ObjectNode src, String nameField, String selectorField, ObjectNode dst) {
        ObjectNode metric = dst.putObject("metric");
        copy(src, nameField, metric, "name");
        copy(src, selectorField, metric, "selector");
    }

    /** The field holding a metric source of {@code type}: Resource → resource, ContainerResource → containerResource. */
    private static String sourceField(String type) {
        return type.isEmpty() ? "" : Character.toLowerCase(type.charAt(0)) + type.substring(1);
    }

    private static void copy(ObjectNode from, String fromField, ObjectNode to, String toField) {
        JsonNode v = from == null ? null : from.get(fromField);
        if (v != null && !v.isNull()) {
            to.set(toField, v.deepCopy());
        }
    }
}
