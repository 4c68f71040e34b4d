package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.IdentifierSyntax;
import dev.konductor.api.meta.ObjectMetaView;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.status.FieldError;
import java.util.List;
import java.util.Locale;

/**
 * Validation of the smaller groups: autoscaling, policy, coordination.k8s.io,
 * rbac.authorization.k8s.io, scheduling.k8s.io and storage.k8s.io.
 */
final class ClusterValidation {

    static final String RBAC_GROUP = "rbac.authorization.k8s.io";
    private static final long MAX_USER_PRIORITY = 1_000_000_000L;
    private static final FieldPath SPEC = FieldPath.of("spec");

    private ClusterValidation() {
    }

    static void horizontalPodAutoscaler(List<FieldError> errs, ObjectNode hpa, String version) {
        ObjectNode spec = ObjectTree.object(hpa, "spec");
        ObjectNode ref = ObjectTree.object(spec, "scaleTargetRef");
        FieldPath refPath = SPEC.child("scaleTargetRef");
        FieldChecks.requiredText(errs, ref, "kind", refPath.child("kind"));
        String name = ObjectTree.textOrEmpty(ref, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required(refPath.child("name").toString()));
        } else {
            FieldChecks.invalidEach(errs, refPath.child("name"), name, IdentifierSyntax.pathSegmentName(name, false));
        }
        Long min = ObjectTree.integer(spec, "minReplicas");
        Long max = ObjectTree.integer(spec, "maxReplicas");
        if (min != null && min < 1) {
            errs.add(FieldError.invalid(SPEC.child("minReplicas").toString(), min, "must be greater than or equal to 1"));
        }
        if (max == null || max < 1) {
            errs.add(FieldError.invalid(SPEC.child("maxReplicas").toString(), max == null ? 0 : max, "must be greater than 0"));
        } else if (min != null && max < min) {
            errs.add(FieldError.invalid(SPEC.child("maxReplicas").toString(), max,
                    "must be greater than or equal to `minReplicas`"));
        }
        if (version.equals("v1")) {
            FieldChecks.positive(errs, spec, "targetCPUUtilizationPercentage", SPEC.child("targetCPUUtilizationPercentage"));
            return;
        }
        List<ObjectNode> metrics = ObjectTree.objects(spec, "metrics");
        for (int i = 0; i < metrics.size(); i++) {
            FieldChecks.oneOf(errs, metrics.get(i), "type", SPEC.child("metrics").index(i).child("type"),
                    List.of("ContainerResource", "External", "Object", "Pods", "Resource"), true);
        }
    }

    static void podDisruptionBudget(List<FieldError> errs, ObjectNode pdb) {
        ObjectNode spec = ObjectTree.object(pdb, "spec");
        if (ObjectTree.has(spec, "minAvailable") && ObjectTree.has(spec, "maxUnavailable")) {
            errs.add(FieldError.invalid(SPEC.toString(), spec, "minAvailable and maxUnavailable cannot be both set"));
        }
        for (String field : List.of("minAvailable", "maxUnavailable")) {
            JsonNode v = spec == null ? null : spec.get(field);
            if (v == null || v.isNull()) {
                continue;
            }
            FieldPath p = SPEC.child(field);
            if (v.isTextual()) {
                List<String> problems = IdentifierSyntax.percent(v.textValue());
                FieldChecks.invalidEach(errs, p, v, problems);
                if (problems.isEmpty() && Long.parseLong(v.textValue().replace("%", "")) > 100) {
                    errs.add(FieldError.invalid(p.toString(), v, "must not be greater than 100%"));
                }
            } else if (v.asLong() < 0) {
                errs.add(FieldError.invalid(p.toString(), v.asLong(), FieldChecks.NON_NEGATIVE));
            }
        }
        LabelSelectorValidation.validate(errs, spec == null ? null : spec.get("selector"), SPEC.child("selector"));
        FieldChecks.oneOf(errs, spec, "unhealthyPodEvictionPolicy", SPEC.child("unhealthyPodEvictionPolicy"),
                List.of("AlwaysAllow", "IfHealthyBudget"), false);
    }

    static void lease(List<FieldError> errs, ObjectNode lease) {
        ObjectNode spec = ObjectTree.object(lease, "spec");
        FieldChecks.positive(errs, spec, "leaseDurationSeconds", SPEC.child("leaseDurationSeconds"));
        FieldChecks.nonNegative(errs, spec, "leaseTransitions", SPEC.child("leaseTransitions"));
    }

    static void role(List<FieldError> errs, ObjectNode role, boolean namespaced) {
        List<ObjectNode> rules = ObjectTree.objects(role, "rules");
        for (int i = 0; i < rules.size(); i++) {
            policyRule(errs, rules.get(i), namespaced, FieldPath.of("rules").index(i));
        }
    }

    private static void policyRule(List<FieldError> errs, ObjectNode rule, boolean namespaced, FieldPath path) {
        if (ObjectTree.isEmpty(rule, "verbs")) {
            errs.add(FieldError.required(path.child("verbs").toString(), "verbs must contain at least one value"));
        }
        List<String> urls = ObjectTree.strings(rule, "nonResourceURLs");
        if (!urls.isEmpty()) {
            if (namespaced) {
                errs.add(FieldError.invalid(path.child("nonResourceURLs").toString(), GoLiteral.strings(urls),
                        "namespaced rules cannot apply to non-resource URLs"));
            }
            if (!ObjectTree.isEmpty(rule, "apiGroups") || !ObjectTree.isEmpty(rule, "resources")
                    || !ObjectTree.isEmpty(rule, "resourceNames")) {
                errs.add(FieldError.invalid(path.child("nonResourceURLs").toString(), GoLiteral.strings(urls),
                        "rules cannot apply to both regular resources and non-resource URLs"));
            }
            return;
        }
        if (!rule.has("apiGroups") || rule.get("apiGroups").isEmpty()) {
            errs.add(FieldError.required(path.child("apiGroups").toString(), "resource rules must supply at least one api group"));
        }
        if (ObjectTree.isEmpty(rule, "resources")) {
            errs.add(FieldError.required(path.child("resources").toString(), "resource rules must supply at least one resource"));
        }
    }

    static void roleBinding(List<FieldError> errs, ObjectNode binding, boolean namespaced) {
        ObjectNode roleRef = ObjectTree.object(binding, "roleRef");
        FieldPath refPath = FieldPath.of("roleRef");
        FieldChecks.oneOf(errs, roleRef, "apiGroup", refPath.child("apiGroup"), List.of(RBAC_GROUP), false);
        FieldChecks.oneOf(errs, roleRef, "kind", refPath.child("kind"),
                namespaced ? List.of("Role", "ClusterRole") : List.of("ClusterRole"), false);
        String name = ObjectTree.textOrEmpty(roleRef, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required(refPath.child("name").toString()));
        } else {
            FieldChecks.invalidEach(errs, refPath.child("name"), name, IdentifierSyntax.pathSegmentName(name, false));
        }
        List<ObjectNode> subjects = ObjectTree.objects(binding, "subjects");
        for (int i = 0; i < subjects.size(); i++) {
            subject(errs, subjects.get(i), namespaced, FieldPath.of("subjects").index(i));
        }
    }

    private static void subject(List<FieldError> errs, ObjectNode s, boolean namespaced, FieldPath path) {
        String name = ObjectTree.textOrEmpty(s, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required(path.child("name").toString()));
        }
        String apiGroup = ObjectTree.textOrEmpty(s, "apiGroup");
        switch (ObjectTree.textOrEmpty(s, "kind")) {
            case "ServiceAccount" -> {
                if (!name.isEmpty()) {
                    FieldChecks.dnsSubdomain(errs, name, path.child("name"));
                }
                if (!apiGroup.isEmpty()) {
                    errs.add(FieldError.notSupported(path.child("apiGroup").toString(), apiGroup, List.of("")));
                }
                if (!namespaced && ObjectTree.textOrEmpty(s, "namespace").isEmpty()) {
                    errs.add(FieldError.required(path.child("namespace").toString()));
                }
            }
            case "User", "Group" -> {
                if (!apiGroup.equals(RBAC_GROUP)) {
                    errs.add(FieldError.notSupported(path.child("apiGroup").toString(), apiGroup, List.of(RBAC_GROUP)));
                }
            }
            default -> errs.add(FieldError.notSupported(path.child("kind").toString(), ObjectTree.textOrEmpty(s, "kind"),
                    List.of("ServiceAccount", "User", "Group")));
        }
    }

    static void priorityClass(List<FieldError> errs, ObjectNode pc) {
        String name = ObjectMetaView.of(pc).name();
        Long value = ObjectTree.integer(pc, "value");
        if (name.startsWith("system-")) {
            if (!name.equals("system-cluster-critical") && !name.equals("system-node-critical")) {
                errs.add(FieldError.invalid("metadata.name", name, "priority class names with 'system-' prefix are reserved"));
            }
        } else if (value != null && value > MAX_USER_PRIORITY) {
            errs.add(FieldError.forbidden("value", "maximum allowed value of a user defined priority is " + MAX_USER_PRIORITY));
        }
        FieldChecks.oneOf(errs, pc, "preemptionPolicy", FieldPath.of("preemptionPolicy"),
                List.of("Never", "PreemptLowerPriority"), false);
    }

    static void storageClass(List<FieldError> errs, ObjectNode sc) {
        String provisioner = ObjectTree.textOrEmpty(sc, "provisioner");
        if (provisioner.isEmpty()) {
            errs.add(FieldError.required("provisioner"));
        } else {
            FieldChecks.invalidEach(errs, FieldPath.of("provisioner"), provisioner,
                    IdentifierSyntax.qualifiedName(provisioner.toLowerCase(Locale.ROOT)));
        }
        FieldChecks.oneOf(errs, sc, "reclaimPolicy", FieldPath.of("reclaimPolicy"), List.of("Delete", "Retain"), false);
        FieldChecks.oneOf(errs, sc, "volumeBindingMode", FieldPath.of("volumeBindingMode"),
                List.of("Immediate", "WaitForFirstConsumer"), false);
    }
}
