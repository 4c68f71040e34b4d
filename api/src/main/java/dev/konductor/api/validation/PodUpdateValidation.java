package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.status.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A running pod's spec is fixed, except for the few fields upstream lets change in place:
 * container images, a shorter activeDeadlineSeconds, added tolerations, a negative grace period
 * corrected to 1, and removed scheduling gates.
 */
final class PodUpdateValidation {

    static final String ONLY_MUTABLE = "pod updates may not change fields other than `spec.containers[*].image`,"
            + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
            + "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
            + "previously negative)";
    private static final FieldPath SPEC = FieldPath.of("spec");

    private PodUpdateValidation() {
    }

    static void validate(List<FieldError> errs, ObjectNode newPod, ObjectNode oldPod) {
        ObjectNode newSpec = specOf(newPod);
        ObjectNode oldSpec = specOf(oldPod);
        if (!activeDeadline(errs, newSpec, oldSpec)) {
            return;
        }
        tolerations(errs, newSpec, oldSpec);
        // Compare a copy of the new spec with every mutable field reset to its old value.
        ObjectNode mutated = newSpec.deepCopy();
        for (String list : List.of("containers", "initContainers")) {
            copyImages(mutated, oldSpec, list);
        }
        for (String field : List.of("activeDeadlineSeconds", "tolerations")) {
            copyField(mutated, oldSpec, field);
        }
        Long oldGrace = ObjectTree.integer(oldSpec, "terminationGracePeriodSeconds");
        Long newGrace = ObjectTree.integer(newSpec, "terminationGracePeriodSeconds");
        if (oldGrace != null && oldGrace < 0 && newGrace != null && newGrace == 1) {
            copyField(mutated, oldSpec, "terminationGracePeriodSeconds");
        }
        List<String> newGates = gateNames(newSpec);
        if (gateNames(oldSpec).containsAll(newGates)) {
            copyField(mutated, oldSpec, "schedulingGates");
        }
        if (!mutated.equals(oldSpec)) {
            errs.add(FieldError.forbidden(SPEC.toString(), ONLY_MUTABLE + "\n" + describeChanges(mutated, oldSpec)));
        }
    }

    private static ObjectNode specOf(ObjectNode pod) {
        ObjectNode spec = ObjectTree.object(pod, "spec");
        return spec == null ? pod.objectNode() : spec;
    }

    /** Returns false when the error is serious enough that upstream stops here. */
    private static boolean activeDeadline(List<FieldError> errs, ObjectNode newSpec, ObjectNode oldSpec) {
        Long n = ObjectTree.integer(newSpec, "activeDeadlineSeconds");
        Long o = ObjectTree.integer(oldSpec, "activeDeadlineSeconds");
        String path = SPEC.child("activeDeadlineSeconds").toString();
        if (n != null) {
            if (n < 0 || n > Integer.MAX_VALUE) {
                errs.add(FieldError.invalid(path, n, "must be between 0 and 2147483647, inclusive"));
                return false;
            }
            if (o != null && o < n) {
                errs.add(FieldError.invalid(path, n, "must be less than or equal to previous value"));
                return false;
            }
        } else if (o != null) {
            errs.add(FieldError.invalid(path, new GoLiteral("null"), "must not update from a positive integer to nil value"));
        }
        return true;
    }

    private static void tolerations(List<FieldError> errs, ObjectNode newSpec, ObjectNode oldSpec) {
        List<ObjectNode> added = ObjectTree.objects(newSpec, "tolerations");
        for (ObjectNode old : ObjectTree.objects(oldSpec, "tolerations")) {
            boolean kept = added.stream().anyMatch(t -> withoutSeconds(t).equals(withoutSeconds(old)));
            if (!kept) {
                errs.add(FieldError.forbidden(SPEC.child("tolerations").toString(),
                        "existing toleration can not be modified except its tolerationSeconds"));
                return;
            }
        }
    }

    private static ObjectNode withoutSeconds(ObjectNode toleration) {
        ObjectNode copy = toleration.deepCopy();
        copy.remove("tolerationSeconds");
        return copy;
    }

    private static void copyImages(ObjectNode target, ObjectNode old, String list) {
        ArrayNode newList = ObjectTree.array(target, list);
        ArrayNode oldList = ObjectTree.array(old, list);
        if (newList == null || oldList == null || newList.size() != oldList.size()) {
            return;
        }
        for (int i = 0; i < newList.size(); i++) {
            if (newList.get(i) instanceof ObjectNode c && oldList.get(i).has("image")) {
                c.set("image", oldList.get(i).get("image").deepCopy());
            }
        }
    }

    private static void copyField(ObjectNode target, ObjectNode old, String field) {
        JsonNode v = old.get(field);
        if (v == null) {
            target.remove(field);
        } else {
            target.set(field, v.deepCopy());
        }
    }

    private static List<String> gateNames(ObjectNode spec) {
        List<String> names = new ArrayList<>();
        ObjectTree.objects(spec, "schedulingGates").forEach(g -> names.add(ObjectTree.textOrEmpty(g, "name")));
        return names;
    }

    /** Which top-level spec fields differ: a readable stand-in for upstream's struct diff. */
    private static String describeChanges(ObjectNode a, ObjectNode b) {
        TreeSet<String> fields = new TreeSet<>();
        a.fieldNames().forEachRemaining(fields::add);
        b.fieldNames().forEachRemaining(fields::add);
        List<String> changed = new ArrayList<>();
        for (String f : fields) {
            if (!FieldChecks.same(a.get(f), b.get(f))) {
                changed.add("spec." + f);
            }
        }
        return "  changed: " + String.join(", ", changed);
    }
}
