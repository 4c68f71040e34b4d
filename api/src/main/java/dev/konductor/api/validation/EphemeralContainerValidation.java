package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.status.FieldError;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod's ephemeral containers ({@code kubectl debug}), as upstream validates them: they come only
 * through the {@code ephemeralcontainers} subresource, never on create; once added one may be
 * neither changed nor removed; and they take none of the fields that only make sense for a
 * container the pod was planned with (ports, probes, lifecycle hooks, resources).
 */
final class EphemeralContainerValidation {

    private static final FieldPath SPEC = FieldPath.of("spec");
    /** Fields an ephemeral container may not set (kubectl sends some of them empty, which is not setting them). */
    private static final List<String> NOT_FOR_EPHEMERAL = List.of("lifecycle", "livenessProbe", "readinessProbe",
            "startupProbe", "ports", "resources", "resizePolicy", "restartPolicy");

    private EphemeralContainerValidation() {
    }

    /** A pod being created may not have any. */
    static void validateCreate(List<FieldError> errs, ObjectNode pod) {
        if (!ObjectTree.objects(ObjectTree.object(pod, "spec"), "ephemeralContainers").isEmpty()) {
            errs.add(FieldError.forbidden(SPEC.child("ephemeralContainers").toString(), "cannot be set on create"));
        }
    }

    /** A write through {@code pods/ephemeralcontainers}: every other field is the stored pod's. */
    static void validateUpdate(List<FieldError> errs, ObjectNode newPod, ObjectNode oldPod) {
        ObjectNode spec = ObjectTree.object(newPod, "spec");
        List<ObjectNode> added = ObjectTree.objects(spec, "ephemeralContainers");
        Set<String> volumes = new HashSet<>();
        ObjectTree.objects(spec, "volumes").forEach(v -> volumes.add(ObjectTree.textOrEmpty(v, "name")));
        Set<String> targets = new HashSet<>();
        for (String list : List.of("initContainers", "containers")) {
            ObjectTree.objects(spec, list).forEach(c -> targets.add(ObjectTree.textOrEmpty(c, "name")));
        }
        Set<String> names = new HashSet<>(targets);
        Map<String, ObjectNode> byName = new HashMap<>();
        FieldPath path = SPEC.child("ephemeralContainers");
        for (int i = 0; i < added.size(); i++) {
            ObjectNode c = added.get(i);
            FieldPath p = path.index(i);
            String name = PodValidation.containerName(errs, c, p, names);
            if (!name.isEmpty()) {
                byName.put(name, c);
            }
            ContainerValidation.validate(errs, c, p, volumes, false);
            for (String field : NOT_FOR_EPHEMERAL) {
                JsonNode value = c.get(field);
                if (value != null && !value.isNull() && !(value.isContainerNode() && value.isEmpty())) {
                    errs.add(FieldError.forbidden(p.child(field).toString(), "cannot be set for an Ephemeral Container"));
                }
            }
            List<ObjectNode> mounts = ObjectTree.objects(c, "volumeMounts");
            for (int m = 0; m < mounts.size(); m++) {
                if (!ObjectTree.textOrEmpty(mounts.get(m), "subPath").isEmpty()) {
                    errs.add(FieldError.forbidden(p.child("volumeMounts").index(m).child("subPath").toString(),
                            "cannot be set for an Ephemeral Container"));
                }
            }
            String target = ObjectTree.textOrEmpty(c, "targetContainerName");
            if (!target.isEmpty() && !targets.contains(target)) {
                errs.add(FieldError.notFound(p.child("targetContainerName").toString(), target));
            }
        }
        for (ObjectNode old : ObjectTree.objects(ObjectTree.object(oldPod, "spec"), "ephemeralContainers")) {
            String name = ObjectTree.textOrEmpty(old, "name");
            ObjectNode now = byName.get(name);
            if (now == null) {
                errs.add(FieldError.forbidden(SPEC.toString(),
                        "existing ephemeral containers \"" + name + "\" may not be removed"));
            } else if (!now.equals(old)) {
                errs.add(FieldError.forbidden(SPEC.toString(),
                        "existing ephemeral containers \"" + name + "\" may not be changed"));
            }
        }
    }
}
