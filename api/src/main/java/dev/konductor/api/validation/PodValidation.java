package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.IdentifierSyntax;
import dev.konductor.api.meta.ObjectMetaView;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.status.FieldError;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Validation of a pod spec, shared by Pods and pod templates (upstream's {@code ValidatePodSpec}). */
final class PodValidation {

    static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    private static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    private static final List<String> TOLERATION_OPERATORS = List.of("Equal", "Exists");
    private static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    private PodValidation() {
    }

    static void validatePod(List<FieldError> errs, ObjectNode pod) {
        validateSpec(errs, ObjectTree.object(pod, "spec"), FieldPath.of("spec"));
    }

    /** A PodTemplateSpec: template labels and annotations, then the spec. */
    static void validateTemplate(List<FieldError> errs, ObjectNode template, FieldPath path) {
        if (template == null) {
            errs.add(FieldError.required(path.toString()));
            return;
        }
        ObjectMetaView meta = ObjectMetaView.of(template);
        FieldChecks.labels(errs, meta.labels(), path.child("metadata", "labels"));
        ObjectMetaValidation.annotations(errs, meta.annotations(), path.child("metadata", "annotations"));
        validateSpec(errs, ObjectTree.object(template, "spec"), path.child("spec"));
    }

    static void validateSpec(List<FieldError> errs, ObjectNode spec, FieldPath path) {
        if (spec == null) {
            errs.add(FieldError.required(path.child("containers").toString()));
            return;
        }
        Set<String> volumes = VolumeValidation.validate(errs, ObjectTree.objects(spec, "volumes"), path.child("volumes"));
        containers(errs, spec, path, volumes);
        restartPolicy(errs, spec, path.child("restartPolicy"));
        dnsPolicy(errs, spec, path);
        FieldChecks.labels(errs, ObjectTree.stringMap(spec, "nodeSelector"), path.child("nodeSelector"));
        for (String subdomainField : List.of("serviceAccountName", "nodeName", "priorityClassName")) {
            String v = ObjectTree.textOrEmpty(spec, subdomainField);
            if (!v.isEmpty()) {
                FieldChecks.dnsSubdomain(errs, v, path.child(subdomainField));
            }
        }
        for (String labelField : List.of("hostname", "subdomain")) {
            String v = ObjectTree.textOrEmpty(spec, labelField);
            if (!v.isEmpty()) {
                FieldChecks.dnsLabel(errs, v, path.child(labelField));
            }
        }
        Long deadline = ObjectTree.integer(spec, "activeDeadlineSeconds");
        if (deadline != null && (deadline < 1 || deadline > Integer.MAX_VALUE)) {
            errs.add(FieldError.invalid(path.child("activeDeadlineSeconds").toString(), deadline,
                    "must be between 1 and 2147483647, inclusive"));
        }
        tolerations(errs, ObjectTree.objects(spec, "tolerations"), path.child("tolerations"));
        List<ObjectNode> pullSecrets = ObjectTree.objects(spec, "imagePullSecrets");
        for (int i = 0; i < pullSecrets.size(); i++) {
            FieldChecks.requiredText(errs, pullSecrets.get(i), "name", path.child("imagePullSecrets").index(i).child("name"));
        }
        ContainerValidation.resources(errs, ObjectTree.object(spec, "resources"), path.child("resources"));
    }

    private static void containers(List<FieldError> errs, ObjectNode spec, FieldPath path, Set<String> volumes) {
        List<ObjectNode> containers = ObjectTree.objects(spec, "containers");
        if (containers.isEmpty()) {
            errs.add(FieldError.required(path.child("containers").toString()));
        }
        // Container names are unique across regular, init and ephemeral containers alike.
        Set<String> names = new HashSet<>();
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            List<ObjectNode> cs = ObjectTree.objects(spec, list);
            for (int i = 0; i < cs.size(); i++) {
                ObjectNode c = cs.get(i);
                FieldPath p = path.child(list).index(i);
                containerName(errs, c, p, names);
                if (!list.equals("ephemeralContainers")) {
                    ContainerValidation.validate(errs, c, p, volumes, list.equals("initContainers"));
                }
                if (Boolean.TRUE.equals(ObjectTree.bool(spec, "hostNetwork"))) {
                    hostNetworkPorts(errs, c, p.child("ports"));
                }
            }
        }
    }

    /** A container's name: required, a DNS label, and not one of {@code names} (which it joins); returns it. */
    static String containerName(List<FieldError> errs, ObjectNode c, FieldPath path, Set<String> names) {
        String name = ObjectTree.textOrEmpty(c, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required(path.child("name").toString()));
        } else {
            FieldChecks.dnsLabel(errs, name, path.child("name"));
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(path.child("name").toString(), name));
            }
        }
        return name;
    }

    private static void hostNetworkPorts(List<FieldError> errs, ObjectNode c, FieldPath path) {
        List<ObjectNode> ports = ObjectTree.objects(c, "ports");
        for (int i = 0; i < ports.size(); i++) {
            Long host = ObjectTree.integer(ports.get(i), "hostPort");
            Long container = ObjectTree.integer(ports.get(i), "containerPort");
            if (host != null && host != 0 && !host.equals(container)) {
                errs.add(FieldError.invalid(path.index(i).child("hostPort").toString(), host,
                        "must match `containerPort` when `hostNetwork` is true"));
            }
        }
    }

    static void restartPolicy(List<FieldError> errs, JsonNode spec, FieldPath path) {
        FieldChecks.oneOf(errs, spec, "restartPolicy", path, RESTART_POLICIES, true);
    }

    private static void dnsPolicy(List<FieldError> errs, ObjectNode spec, FieldPath path) {
        FieldChecks.oneOf(errs, spec, "dnsPolicy", path.child("dnsPolicy"), DNS_POLICIES, true);
        if ("None".equals(ObjectTree.text(spec, "dnsPolicy"))
                && ObjectTree.isEmpty(ObjectTree.object(spec, "dnsConfig"), "nameservers")) {
            errs.add(FieldError.required(path.child("dnsConfig").toString(),
                    "must provide `dnsConfig` when `dnsPolicy` is None"));
        }
    }

    private static void tolerations(List<FieldError> errs, List<ObjectNode> tolerations, FieldPath path) {
        for (int i = 0; i < tolerations.size(); i++) {
            ObjectNode t = tolerations.get(i);
            FieldPath p = path.index(i);
            String key = ObjectTree.textOrEmpty(t, "key");
            String operator = ObjectTree.textOrEmpty(t, "operator");
            if (!key.isEmpty()) {
                FieldChecks.invalidEach(errs, p.child("key"), key, IdentifierSyntax.qualifiedName(key));
            } else if (!operator.equals("Exists")) {
                errs.add(FieldError.invalid(p.child("operator").toString(), operator,
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }
            String effect = ObjectTree.textOrEmpty(t, "effect");
            if (ObjectTree.has(t, "tolerationSeconds") && !effect.equals("NoExecute")) {
                errs.add(FieldError.invalid(p.child("effect").toString(), effect,
                        "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }
            switch (operator) {
                case "", "Equal" -> { }
                case "Exists" -> {
                    if (!ObjectTree.textOrEmpty(t, "value").isEmpty()) {
                        errs.add(FieldError.invalid(p.child("operator").toString(), t.get("value"),
                                "value must be empty when `operator` is 'Exists'"));
                    }
                }
                default -> errs.add(FieldError.notSupported(p.child("operator").toString(), operator, TOLERATION_OPERATORS));
            }
            FieldChecks.oneOf(errs, t, "effect", p.child("effect"), TAINT_EFFECTS, false);
        }
    }
}
