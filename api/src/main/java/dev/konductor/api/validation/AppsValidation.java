package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.IdentifierSyntax;
import dev.konductor.api.meta.LabelSelector;
import dev.konductor.api.meta.ObjectMetaView;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.meta.SelectorParseException;
import dev.konductor.api.status.FieldError;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Validation of the apps/v1 workloads and of ReplicationControllers, which share their shape. */
final class AppsValidation {

    private static final FieldPath SPEC = FieldPath.of("spec");

    private AppsValidation() {
    }

    static void deployment(List<FieldError> errs, ObjectNode d) {
        ObjectNode spec = spec(d);
        replicasAndReadiness(errs, spec);
        LabelSelector selector = requiredSelector(errs, spec, "deployment");
        ObjectNode strategy = ObjectTree.object(spec, "strategy");
        String type = ObjectTree.textOrEmpty(strategy, "type");
        FieldPath strategyPath = SPEC.child("strategy");
        FieldChecks.oneOf(errs, strategy, "type", strategyPath.child("type"), List.of("Recreate", "RollingUpdate"), true);
        if (type.equals("Recreate") && ObjectTree.has(strategy, "rollingUpdate")) {
            errs.add(FieldError.forbidden(strategyPath.child("rollingUpdate").toString(),
                    "may not be specified when strategy `type` is 'Recreate'"));
        }
        rollingUpdate(errs, ObjectTree.object(strategy, "rollingUpdate"), strategyPath.child("rollingUpdate"));
        FieldChecks.nonNegative(errs, spec, "revisionHistoryLimit", SPEC.child("revisionHistoryLimit"));
        Long deadline = ObjectTree.integer(spec, "progressDeadlineSeconds");
        Long minReady = ObjectTree.integer(spec, "minReadySeconds");
        if (deadline != null) {
            FieldChecks.nonNegative(errs, spec, "progressDeadlineSeconds", SPEC.child("progressDeadlineSeconds"));
            if (minReady != null && deadline <= minReady) {
                errs.add(FieldError.invalid(SPEC.child("progressDeadlineSeconds").toString(), deadline,
                        "must be greater than minReadySeconds"));
            }
        }
        replicaSetTemplate(errs, spec, selector, "ReplicaSet");
    }

    static void replicaSet(List<FieldError> errs, ObjectNode rs) {
        ObjectNode spec = spec(rs);
        replicasAndReadiness(errs, spec);
        // Upstream's ReplicaSet validation reuses the Deployment wording.
        LabelSelector selector = requiredSelector(errs, spec, "deployment");
        replicaSetTemplate(errs, spec, selector, "ReplicaSet");
    }

    static void replicationController(List<FieldError> errs, ObjectNode rc) {
        ObjectNode spec = spec(rc);
        replicasAndReadiness(errs, spec);
        var selectorMap = ObjectTree.stringMap(spec, "selector");
        if (selectorMap.isEmpty()) {
            errs.add(FieldError.required(SPEC.child("selector").toString()));
        } else {
            FieldChecks.labels(errs, selectorMap, SPEC.child("selector"));
        }
        ObjectNode template = ObjectTree.object(spec, "template");
        if (template == null) {
            errs.add(FieldError.required(SPEC.child("template").toString()));
            return;
        }
        replicaSetTemplate(errs, spec, selectorMap.isEmpty() ? LabelSelector.everything()
                : LabelSelector.fromSet(selectorMap), "ReplicationController");
    }

    static void statefulSet(List<FieldError> errs, ObjectNode sts) {
        ObjectNode spec = spec(sts);
        replicasAndReadiness(errs, spec);
        String policy = ObjectTree.textOrEmpty(spec, "podManagementPolicy");
        if (!policy.equals("OrderedReady") && !policy.equals("Parallel")) {
            errs.add(policy.isEmpty() ? FieldError.required(SPEC.child("podManagementPolicy").toString())
                    : FieldError.invalid(SPEC.child("podManagementPolicy").toString(), policy,
                            "must be 'OrderedReady' or 'Parallel'"));
        }
        ObjectNode strategy = ObjectTree.object(spec, "updateStrategy");
        FieldChecks.oneOf(errs, strategy, "type", SPEC.child("updateStrategy", "type"), List.of("OnDelete", "RollingUpdate"),
                true);
        ObjectNode rolling = ObjectTree.object(strategy, "rollingUpdate");
        FieldChecks.nonNegative(errs, rolling, "partition", SPEC.child("updateStrategy", "rollingUpdate", "partition"));
        FieldChecks.nonNegative(errs, spec, "revisionHistoryLimit", SPEC.child("revisionHistoryLimit"));
        String serviceName = ObjectTree.textOrEmpty(spec, "serviceName");
        if (!serviceName.isEmpty()) {
            FieldChecks.dnsLabel(errs, serviceName, SPEC.child("serviceName"));
        }
        LabelSelector selector = requiredSelector(errs, spec, "statefulset");
        ObjectNode template = ObjectTree.object(spec, "template");
        matchTemplate(errs, template, selector, SPEC.child("template"));
        PodValidation.validateTemplate(errs, withClaimVolumes(template, spec), SPEC.child("template"));
        alwaysRestart(errs, template, "StatefulSet");
    }

    /**
     * The template as its pods will have it: each volumeClaimTemplate becomes a volume of the
     * same name, so containers may mount it (upstream's web/www example) although the template
     * itself declares no such volume.
     */
    private static ObjectNode withClaimVolumes(ObjectNode template, ObjectNode spec) {
        List<ObjectNode> claims = ObjectTree.objects(spec, "volumeClaimTemplates");
        ObjectNode podSpec = template == null ? null : ObjectTree.object(template, "spec");
        if (claims.isEmpty() || podSpec == null) {
            return template;
        }
        ObjectNode copy = template.deepCopy();
        ArrayNode volumes = copy.withObject("spec").withArray("volumes");
        Set<String> declared = new HashSet<>();
        volumes.forEach(v -> declared.add(v.path("name").asText()));
        for (ObjectNode claim : claims) {
            String name = claim.path("metadata").path("name").asText("");
            if (!name.isEmpty() && declared.add(name)) {
                ObjectNode volume = volumes.addObject();
                volume.put("name", name);
                volume.putObject("persistentVolumeClaim").put("claimName", name);
            }
        }
        return copy;
    }

    static void daemonSet(List<FieldError> errs, ObjectNode ds) {
        ObjectNode spec = spec(ds);
        FieldChecks.nonNegative(errs, spec, "minReadySeconds", SPEC.child("minReadySeconds"));
        FieldChecks.nonNegative(errs, spec, "revisionHistoryLimit", SPEC.child("revisionHistoryLimit"));
        LabelSelector selector = requiredSelector(errs, spec, "daemonset");
        ObjectNode strategy = ObjectTree.object(spec, "updateStrategy");
        FieldPath strategyPath = SPEC.child("updateStrategy");
        FieldChecks.oneOf(errs, strategy, "type", strategyPath.child("type"), List.of("OnDelete", "RollingUpdate"), true);
        rollingUpdate(errs, ObjectTree.object(strategy, "rollingUpdate"), strategyPath.child("rollingUpdate"));
        ObjectNode template = ObjectTree.object(spec, "template");
        matchTemplate(errs, template, selector, SPEC.child("template"));
        PodValidation.validateTemplate(errs, template, SPEC.child("template"));
        alwaysRestart(errs, template, "DaemonSet");
    }

    private static ObjectNode spec(ObjectNode obj) {
        ObjectNode spec = ObjectTree.object(obj, "spec");
        return spec == null ? obj.objectNode() : spec;
    }

    private static void replicasAndReadiness(List<FieldError> errs, ObjectNode spec) {
        FieldChecks.nonNegative(errs, spec, "replicas", SPEC.child("replicas"));
        FieldChecks.nonNegative(errs, spec, "minReadySeconds", SPEC.child("minReadySeconds"));
    }

    /**
     * {@code spec.selector}: required, valid and non-empty. Returns the parsed selector, or
     * {@link LabelSelector#everything()} when it is unusable (so the template match is skipped,
     * as upstream skips it).
     */
    static LabelSelector requiredSelector(List<FieldError> errs, ObjectNode spec, String what) {
        JsonNode selector = spec.get("selector");
        FieldPath path = SPEC.child("selector");
        if (selector == null || !selector.isObject()) {
            errs.add(FieldError.required(path.toString()));
            return LabelSelector.everything();
        }
        LabelSelectorValidation.validate(errs, selector, path);
        if (ObjectTree.isEmpty(selector, "matchLabels") && ObjectTree.isEmpty(selector, "matchExpressions")) {
            errs.add(FieldError.invalid(path.toString(), LabelSelectorValidation.render(selector),
                    "empty selector is invalid for " + what));
        }
        try {
            return LabelSelector.fromStructured(selector);
        } catch (SelectorParseException e) {
            return LabelSelector.everything();
        }
    }

    private static void replicaSetTemplate(List<FieldError> errs, ObjectNode spec, LabelSelector selector, String kind) {
        ObjectNode template = ObjectTree.object(spec, "template");
        FieldPath path = SPEC.child("template");
        matchTemplate(errs, template, selector, path);
        PodValidation.validateTemplate(errs, template, path);
        alwaysRestart(errs, template, kind.equals("ReplicationController") ? "ReplicationController" : "ReplicaSet");
    }

    /** The workload's selector must select the pods its template makes. */
    static void matchTemplate(List<FieldError> errs, ObjectNode template, LabelSelector selector, FieldPath path) {
        if (template == null || selector.isEmpty()) {
            return;
        }
        var labels = ObjectMetaView.of(template).labels();
        if (!selector.matches(labels)) {
            errs.add(FieldError.invalid(path.child("metadata", "labels").toString(), GoLiteral.stringMap(labels),
                    "`selector` does not match template `labels`"));
        }
    }

    /** Long-running workloads restart their pods' containers always and never time them out. */
    private static void alwaysRestart(List<FieldError> errs, ObjectNode template, String kind) {
        ObjectNode podSpec = ObjectTree.object(template, "spec");
        if (podSpec == null) {
            return;
        }
        String restart = ObjectTree.textOrEmpty(podSpec, "restartPolicy");
        if (!restart.isEmpty() && !restart.equals("Always") && PodValidation.RESTART_POLICIES.contains(restart)) {
            errs.add(FieldError.notSupported(SPEC.child("template", "spec", "restartPolicy").toString(), restart,
                    List.of("Always")));
        }
        if (ObjectTree.has(podSpec, "activeDeadlineSeconds")) {
            errs.add(FieldError.forbidden(SPEC.child("template", "spec", "activeDeadlineSeconds").toString(),
                    "activeDeadlineSeconds in " + kind + " is not Supported"));
        }
    }

    /** maxUnavailable and maxSurge: non-negative ints or percentages, not both zero. */
    private static void rollingUpdate(List<FieldError> errs, ObjectNode rolling, FieldPath path) {
        if (rolling == null) {
            return;
        }
        JsonNode maxUnavailable = rolling.get("maxUnavailable");
        JsonNode maxSurge = rolling.get("maxSurge");
        intOrPercent(errs, maxUnavailable, path.child("maxUnavailable"));
        intOrPercent(errs, maxSurge, path.child("maxSurge"));
        if (maxUnavailable != null && maxUnavailable.isTextual() && percentValue(maxUnavailable.textValue()) > 100) {
            errs.add(FieldError.invalid(path.child("maxUnavailable").toString(), maxUnavailable,
                    "must not be greater than 100%"));
        }
        if (isZero(maxUnavailable) && isZero(maxSurge)) {
            errs.add(FieldError.invalid(path.child("maxUnavailable").toString(), maxUnavailable,
                    "may not be 0 when `maxSurge` is 0"));
        }
    }

    private static void intOrPercent(List<FieldError> errs, JsonNode value, FieldPath path) {
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isTextual()) {
            FieldChecks.invalidEach(errs, path, value, IdentifierSyntax.percent(value.textValue()));
        } else if (value.asLong() < 0) {
            errs.add(FieldError.invalid(path.toString(), value.asLong(), FieldChecks.NON_NEGATIVE));
        }
    }

    private static boolean isZero(JsonNode v) {
        if (v == null || v.isNull()) {
            return false;
        }
        return v.isTextual() ? percentValue(v.textValue()) == 0 : v.asLong() == 0;
    }

    private static long percentValue(String s) {
        if (!s.endsWith("%")) {
            return -1;
        }
        try {
            return Long.parseLong(s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
