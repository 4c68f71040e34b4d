package dev.konductor.api.defaults;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.ObjectTree;

/**
 * HorizontalPodAutoscaler defaults. autoscaling/v1 defaults {@code minReplicas} only; the CPU
 * target appears once the object is stored as v2 and defaulted there, so the API server should
 * default the storage form too (this defaulter is idempotent, so doing both is safe).
 */
final class AutoscalingDefaults {

    /** Upstream's default CPU target when an HPA names no metric. */
    private static final int DEFAULT_CPU_UTILIZATION = 80;

    private AutoscalingDefaults() {
    }

    static void apply(String version, String kind, ObjectNode obj) {
        if (!kind.equals("HorizontalPodAutoscaler")) {
            return;
        }
        ObjectNode spec = ObjectTree.ensureObject(obj, "spec");
        DefaultFields.integer(spec, "minReplicas", 1);
        ObjectNode status = ObjectTree.ensureObject(obj, "status");
        // Non-omitempty integers of the status structs, shown as 0 on a new HPA.
        if (version.equals("v1")) {
            DefaultFields.integer(status, "currentReplicas", 0);
            DefaultFields.integer(status, "desiredReplicas", 0);
            return;
        }
        DefaultFields.integer(status, "desiredReplicas", 0);
        if (ObjectTree.isEmpty(spec, "metrics")) {
            ObjectNode resource = spec.putArray("metrics").addObject().put("type", "Resource").putObject("resource");
            resource.put("name", "cpu");
            resource.putObject("target").put("type", "Utilization").put("averageUtilization", DEFAULT_CPU_UTILIZATION);
        }
        ObjectNode behavior = ObjectTree.object(spec, "behavior");
        if (behavior != null) {
            ObjectNode up = ObjectTree.ensureObject(behavior, "scaleUp");
            DefaultFields.integer(up, "stabilizationWindowSeconds", 0);
            DefaultFields.string(up, "selectPolicy", "Max");
            if (!ObjectTree.has(up, "policies")) {
                ArrayNode policies = up.putArray("policies");
                policies.addObject().put("type", "Pods").put("value", 4).put("periodSeconds", 15);
                policies.addObject().put("type", "Percent").put("value", 100).put("periodSeconds", 15);
            }
            // No scale-down stabilization default: the controller's command-line flag supplies it.
            ObjectNode down = ObjectTree.ensureObject(behavior, "scaleDown");
            DefaultFields.string(down, "selectPolicy", "Max");
            if (!ObjectTree.has(down, "policies")) {
                down.putArray("policies").addObject().put("type", "Percent").put("value", 100).put("periodSeconds", 15);
            }
        }
    }
}
