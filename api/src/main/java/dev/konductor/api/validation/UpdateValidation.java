package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.status.FieldError;
import java.util.List;
import java.util.Set;

/** The immutability rules of updates, per kind; the new object's own validity is checked separately. */
final class UpdateValidation {

    private static final FieldPath SPEC = FieldPath.of("spec");
    private static final Set<String> STATEFUL_SET_MUTABLE = Set.of("replicas", "ordinals", "template", "updateStrategy",
            "persistentVolumeClaimRetentionPolicy", "minReadySeconds");

    private UpdateValidation() {
    }

    static void validate(List<FieldError> errs, String group, String kind, ObjectNode n, ObjectNode o) {
        switch (group + "/" + kind) {
            case "/Pod" -> PodUpdateValidation.validate(errs, n, o);
            case "/Service" -> ServiceValidation.validateUpdate(errs, n, o);
            case "/Secret" -> immutableData(errs, n, o, List.of("data"), true);
            case "/ConfigMap" -> immutableData(errs, n, o, List.of("data", "binaryData"), false);
            case "/PersistentVolumeClaim" -> claim(errs, n, o);
            case "/PersistentVolume" -> persistentVolume(errs, n, o);
            case "/Node" -> node(errs, n, o);
            case "apps/Deployment", "apps/ReplicaSet", "apps/DaemonSet" -> selector(errs, n, o);
            case "apps/StatefulSet" -> statefulSet(errs, n, o);
            case "batch/Job" -> job(errs, n, o);
            case "discovery.k8s.io/EndpointSlice" ->
                    FieldChecks.immutable(errs, n.get("addressType"), o.get("addressType"), FieldPath.of("addressType"));
            case "rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding" -> {
                if (!FieldChecks.same(n.get("roleRef"), o.get("roleRef"))) {
                    errs.add(FieldError.invalid("roleRef", n.get("roleRef"), "cannot change roleRef"));
                }
            }
            case "scheduling.k8s.io/PriorityClass" -> {
                if (!FieldChecks.same(n.get("value"), o.get("value"))) {
                    errs.add(FieldError.forbidden("value", "may not be changed in an update."));
                }
                FieldChecks.immutable(errs, n.get("preemptionPolicy"), o.get("preemptionPolicy"),
                        FieldPath.of("preemptionPolicy"));
            }
            case "storage.k8s.io/StorageClass" -> {
                for (String field : List.of("parameters", "provisioner", "reclaimPolicy", "volumeBindingMode")) {
                    if (!CoreValidation.sameMap(n.get(field), o.get(field))) {
                        errs.add(FieldError.forbidden(field, "updates to " + field + " are forbidden."));
                    }
                }
            }
            case "apiextensions.k8s.io/CustomResourceDefinition" -> {
                for (String field : List.of("group", "scope")) {
                    FieldChecks.immutable(errs, n.path("spec").get(field), o.path("spec").get(field), SPEC.child(field));
                }
            }
            default -> {
            }
        }
    }

    private static void selector(List<FieldError> errs, ObjectNode n, ObjectNode o) {
        JsonNode newSelector = n.path("spec").get("selector");
        if (!FieldChecks.same(newSelector, o.path("spec").get("selector"))) {
            errs.add(FieldError.invalid(SPEC.child("selector").toString(), LabelSelectorValidation.render(newSelector),
                    FieldChecks.IMMUTABLE));
        }
    }

    private static void statefulSet(List<FieldError> errs, ObjectNode n, ObjectNode o) {
        ObjectNode newSpec = ObjectTree.object(n, "spec");
        ObjectNode oldSpec = ObjectTree.object(o, "spec");
        ObjectNode a = newSpec == null ? n.objectNode() : newSpec.deepCopy();
        ObjectNode b = oldSpec == null ? n.objectNode() : oldSpec.deepCopy();
        a.remove(STATEFUL_SET_MUTABLE);
        b.remove(STATEFUL_SET_MUTABLE);
        if (!a.equals(b)) {
            errs.add(FieldError.forbidden(SPEC.toString(), "updates to statefulset spec for fields other than 'replicas', "
                    + "'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
                    + "'minReadySeconds' are forbidden"));
        }
    }

    private static void job(List<FieldError> errs, ObjectNode n, ObjectNode o) {
        JsonNode newSpec = n.path("spec");
        JsonNode oldSpec = o.path("spec");
        JsonNode newSelector = newSpec.get("selector");
        if (!FieldChecks.same(newSelector, oldSpec.get("selector"))) {
            errs.add(FieldError.invalid(SPEC.child("selector").toString(), LabelSelectorValidation.render(newSelector),
                    FieldChecks.IMMUTABLE));
        }
        // The pod template may change only while the Job is suspended (its pods do not exist yet).
        if (!Boolean.TRUE.equals(ObjectTree.bool(oldSpec, "suspend"))) {
            FieldChecks.immutable(errs, newSpec.get("template"), oldSpec.get("template"), SPEC.child("template"));
        }
        boolean elastic = "Indexed".equals(ObjectTree.text(newSpec, "completionMode"))
                && FieldChecks.same(newSpec.get("completions"), newSpec.get("parallelism"));
        if (!elastic) {
            FieldChecks.immutable(errs, newSpec.get("completions"), oldSpec.get("completions"), SPEC.child("completions"));
        }
        for (String field : List.of("completionMode", "podFailurePolicy", "backoffLimitPerIndex")) {
            FieldChecks.immutable(errs, newSpec.get(field), oldSpec.get(field), SPEC.child(field));
        }
    }

    private static void immutableData(List<FieldError> errs, ObjectNode n, ObjectNode o, List<String> dataFields,
                                      boolean typed) {
        if (typed) {
            FieldChecks.immutable(errs, n.get("type"), o.get("type"), FieldPath.of("type"));
        }
        if (!Boolean.TRUE.equals(ObjectTree.bool(o, "immutable"))) {
            return;
        }
        String detail = "field is immutable when `immutable` is set";
        if (!Boolean.TRUE.equals(ObjectTree.bool(n, "immutable"))) {
            errs.add(FieldError.forbidden("immutable", detail));
        }
        for (String field : dataFields) {
            if (!CoreValidation.sameMap(n.get(field), o.get(field))) {
                errs.add(FieldError.forbidden(field, detail));
            }
        }
    }

    /**
     * A claim's spec is fixed except for resizing a bound claim, its volume attributes class, and
     * the volume name the binder fills in.
     */
    private static void claim(List<FieldError> errs, ObjectNode n, ObjectNode o) {
        ObjectNode a = n.path("spec").isObject() ? (ObjectNode) n.get("spec").deepCopy() : n.objectNode();
        ObjectNode b = o.path("spec").isObject() ? (ObjectNode) o.get("spec").deepCopy() : n.objectNode();
        if ("Bound".equals(ObjectTree.text(o.path("status"), "phase"))) {
            ObjectNode aRequests = ObjectTree.object(a, "resources", "requests");
            if (aRequests != null) {
                ObjectTree.ensureObject(ObjectTree.ensureObject(b, "resources"), "requests").setAll(aRequests.deepCopy());
            }
        }
        a.remove("volumeAttributesClassName");
        b.remove("volumeAttributesClassName");
        if (ObjectTree.isEmpty(b, "volumeName")) {
            a.remove("volumeName");
            b.remove("volumeName");
        }
        if (!a.equals(b)) {
            errs.add(FieldError.forbidden(SPEC.toString(),
                    "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
        }
    }

    private static void persistentVolume(List<FieldError> errs, ObjectNode n, ObjectNode o) {
        List<String> mutable = List.of("capacity", "accessModes", "persistentVolumeReclaimPolicy", "claimRef",
                "mountOptions", "storageClassName", "nodeAffinity", "volumeAttributesClassName", "volumeMode");
        ObjectNode a = n.path("spec").isObject() ? (ObjectNode) n.get("spec").deepCopy() : n.objectNode();
        ObjectNode b = o.path("spec").isObject() ? (ObjectNode) o.get("spec").deepCopy() : n.objectNode();
        a.remove(mutable);
        b.remove(mutable);
        if (!a.equals(b)) {
            errs.add(FieldError.forbidden("spec.persistentvolumesource",
                    "spec.persistentvolumesource is immutable after creation"));
        }
        FieldChecks.immutable(errs, n.path("spec").get("volumeMode"), o.path("spec").get("volumeMode"),
                SPEC.child("volumeMode"));
    }

    private static void node(List<FieldError> errs, ObjectNode n, ObjectNode o) {
        for (String field : List.of("podCIDRs", "providerID")) {
            JsonNode oldValue = o.path("spec").get(field);
            boolean wasSet = oldValue != null && !oldValue.isNull() && !oldValue.isEmpty()
                    && !(oldValue.isTextual() && oldValue.textValue().isEmpty());
            if (wasSet && !FieldChecks.same(n.path("spec").get(field), oldValue)) {
                String what = field.equals("podCIDRs") ? "podCIDR" : "providerID";
                errs.add(FieldError.forbidden(SPEC.child(field).toString(),
                        "node updates may not change " + what + " except from \"\" to valid"));
            }
        }
    }
}
