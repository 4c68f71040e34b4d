package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.IdentifierSyntax;
import dev.konductor.api.meta.ObjectMetaView;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.status.FieldError;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;

/** Validation of the core/v1 kinds other than Pods and Services. */
final class CoreValidation {

    /** Upstream's limit on the total size of a Secret's or ConfigMap's data. */
    static final int MAX_DATA_SIZE = 1024 * 1024;
    private static final List<String> ACCESS_MODES = List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce",
            "ReadWriteOncePod");
    private static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");
    private static final List<String> STANDARD_FINALIZERS = List.of("kubernetes", "orphan", "foregroundDeletion");

    private CoreValidation() {
    }

    static void configMap(List<FieldError> errs, ObjectNode cm) {
        long size = 0;
        ObjectNode data = ObjectTree.object(cm, "data");
        ObjectNode binary = ObjectTree.object(cm, "binaryData");
        for (String key : ObjectTree.sortedKeys(data)) {
            FieldChecks.invalidEach(errs, FieldPath.of("data").key(key), key, IdentifierSyntax.configMapKey(key));
            if (binary != null && binary.has(key)) {
                errs.add(FieldError.invalid(FieldPath.of("data").key(key).toString(), key,
                        "duplicate of key present in binaryData"));
            }
            size += key.length() + data.get(key).asText().length();
        }
        for (String key : ObjectTree.sortedKeys(binary)) {
            FieldChecks.invalidEach(errs, FieldPath.of("binaryData").key(key), key, IdentifierSyntax.configMapKey(key));
            size += key.length() + decodedLength(binary.get(key));
        }
        if (size > MAX_DATA_SIZE) {
            errs.add(FieldError.tooLong("", MAX_DATA_SIZE));
        }
    }

    static void secret(List<FieldError> errs, ObjectNode secret) {
        FieldPath dataPath = FieldPath.of("data");
        ObjectNode data = ObjectTree.object(secret, "data");
        long size = 0;
        for (String key : ObjectTree.sortedKeys(data)) {
            FieldChecks.invalidEach(errs, dataPath.key(key), key, IdentifierSyntax.configMapKey(key));
            size += decodedLength(data.get(key));
        }
        if (size > MAX_DATA_SIZE) {
            errs.add(FieldError.tooLong(dataPath.toString(), MAX_DATA_SIZE));
        }
        String type = ObjectTree.textOrEmpty(secret, "type");
        switch (type) {
            case "kubernetes.io/service-account-token" -> {
                if (ObjectMetaView.of(secret).annotations().getOrDefault("kubernetes.io/service-account.name", "").isEmpty()) {
                    errs.add(FieldError.required("metadata.annotations[kubernetes.io/service-account.name]"));
                }
            }
            case "kubernetes.io/dockercfg" -> requireKeys(errs, data, dataPath, ".dockercfg");
            case "kubernetes.io/dockerconfigjson" -> requireKeys(errs, data, dataPath, ".dockerconfigjson");
            case "kubernetes.io/basic-auth" -> {
                if (!ObjectTree.has(data, "username") && !ObjectTree.has(data, "password")) {
                    requireKeys(errs, data, dataPath, "username", "password");
                }
            }
            case "kubernetes.io/ssh-auth" -> requireKeys(errs, data, dataPath, "ssh-privatekey");
            case "kubernetes.io/tls" -> requireKeys(errs, data, dataPath, "tls.crt", "tls.key");
            default -> FieldChecks.invalidEach(errs, FieldPath.of("type"), type,
                    type.isEmpty() ? List.of() : IdentifierSyntax.qualifiedName(type));
        }
    }

    private static void requireKeys(List<FieldError> errs, ObjectNode data, FieldPath dataPath, String... keys) {
        for (String key : keys) {
            if (!ObjectTree.has(data, key)) {
                errs.add(FieldError.required(dataPath.key(key).toString()));
            }
        }
    }

    private static long decodedLength(JsonNode value) {
        try {
            return Base64.getDecoder().decode(value.asText()).length;
        } catch (IllegalArgumentException e) {
            return value.asText().length();
        }
    }

    static void namespace(List<FieldError> errs, ObjectNode ns) {
        List<String> finalizers = ObjectTree.strings(ObjectTree.object(ns, "spec"), "finalizers");
        FieldPath path = FieldPath.of("spec", "finalizers");
        for (String f : finalizers) {
            FieldChecks.invalidEach(errs, path, f, IdentifierSyntax.qualifiedName(f));
            if (!f.contains("/") && !STANDARD_FINALIZERS.contains(f)) {
                errs.add(FieldError.invalid(path.toString(), f,
                        "name is neither a standard finalizer name nor is it fully qualified"));
            }
        }
    }

    static void node(List<FieldError> errs, ObjectNode node) {
        List<ObjectNode> taints = ObjectTree.objects(ObjectTree.object(node, "spec"), "taints");
        FieldPath path = FieldPath.of("spec", "taints");
        for (int i = 0; i < taints.size(); i++) {
            ObjectNode t = taints.get(i);
            FieldPath p = path.index(i);
            String key = ObjectTree.textOrEmpty(t, "key");
            FieldChecks.invalidEach(errs, p.child("key"), key, IdentifierSyntax.qualifiedName(key));
            FieldChecks.invalidEach(errs, p.child("value"), ObjectTree.textOrEmpty(t, "value"),
                    IdentifierSyntax.labelValue(ObjectTree.textOrEmpty(t, "value")));
            FieldChecks.oneOf(errs, t, "effect", p.child("effect"), List.of("NoSchedule", "PreferNoSchedule", "NoExecute"),
                    true);
        }
    }

    /**
     * core/v1 Events (and events.k8s.io Events converted to core): upstream checks namespaces and,
     * for events with an eventTime, the reporting fields; it does not check the name.
     */
    static void event(List<FieldError> errs, ObjectNode event, boolean strict) {
        String namespace = ObjectMetaView.of(event).namespace();
        String involvedNamespace = ObjectTree.textOrEmpty(ObjectTree.object(event, "involvedObject"), "namespace");
        FieldPath involvedPath = FieldPath.of("involvedObject", "namespace");
        boolean modern = ObjectTree.has(event, "eventTime");
        if (strict && !modern) {
            errs.add(FieldError.required("eventTime"));
        }
        if (!modern) {
            boolean ok = involvedNamespace.isEmpty() ? namespace.isEmpty() || namespace.equals("default")
                    : namespace.equals(involvedNamespace);
            if (!ok) {
                errs.add(FieldError.invalid(involvedPath.toString(), involvedNamespace, "does not match event.namespace"));
            }
        } else {
            if (involvedNamespace.isEmpty() && !namespace.equals("default") && !namespace.equals("kube-system")) {
                errs.add(FieldError.invalid(involvedPath.toString(), involvedNamespace, "does not match event.namespace"));
            }
            String controllerField = strict ? "reportingController" : "reportingComponent";
            String controller = ObjectTree.textOrEmpty(event, "reportingComponent");
            if (controller.isEmpty()) {
                errs.add(FieldError.required(controllerField));
            } else {
                FieldChecks.invalidEach(errs, FieldPath.of(controllerField), controller, IdentifierSyntax.qualifiedName(controller));
            }
            for (String field : List.of("reportingInstance", "action", "reason")) {
                String v = ObjectTree.textOrEmpty(event, field);
                if (v.isEmpty()) {
                    errs.add(FieldError.required(field));
                } else if (v.length() > 128) {
                    errs.add(FieldError.invalid(field, "", "can have at most 128 characters"));
                }
            }
            if (ObjectTree.textOrEmpty(event, "message").length() > 1024) {
                errs.add(FieldError.invalid(strict ? "note" : "message", "", "can have at most 1024 characters"));
            }
        }
        FieldChecks.invalidEach(errs, FieldPath.of("namespace"), namespace,
                namespace.isEmpty() ? List.of() : IdentifierSyntax.dns1123Subdomain(namespace));
    }

    static void persistentVolume(List<FieldError> errs, ObjectNode pv) {
        ObjectNode spec = ObjectTree.object(pv, "spec");
        FieldPath path = FieldPath.of("spec");
        accessModes(errs, spec, path, "");
        ObjectNode capacity = ObjectTree.object(spec, "capacity");
        if (capacity == null || capacity.isEmpty()) {
            errs.add(FieldError.required(path.child("capacity").toString()));
        } else if (!capacity.has("storage") || capacity.size() > 1) {
            errs.add(FieldError.notSupported(path.child("capacity").toString(), ObjectTree.sortedKeys(capacity).toString(),
                    List.of("storage")));
        } else {
            positiveQuantity(errs, capacity.get("storage"), path.child("capacity").key("storage"));
        }
        FieldChecks.oneOf(errs, spec, "persistentVolumeReclaimPolicy", path.child("persistentVolumeReclaimPolicy"),
                List.of("Delete", "Recycle", "Retain"), false);
        FieldChecks.oneOf(errs, spec, "volumeMode", path.child("volumeMode"), VOLUME_MODES, false);
        List<String> sources = List.of("hostPath", "nfs", "local", "csi", "iscsi", "fc", "rbd", "cephfs", "glusterfs",
                "awsElasticBlockStore", "gcePersistentDisk", "azureDisk", "azureFile", "cinder", "flexVolume", "flocker",
                "vsphereVolume", "quobyte", "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos");
        if (sources.stream().noneMatch(s -> ObjectTree.has(spec, s))) {
            errs.add(FieldError.required(path.toString(), "must specify a volume type"));
        }
    }

    static void persistentVolumeClaim(List<FieldError> errs, ObjectNode pvc) {
        claimSpec(errs, ObjectTree.object(pvc, "spec"), FieldPath.of("spec"));
    }

    static void claimSpec(List<FieldError> errs, ObjectNode spec, FieldPath path) {
        accessModes(errs, spec, path, "at least 1 access mode is required");
        LabelSelectorValidation.validate(errs, spec == null ? null : spec.get("selector"), path.child("selector"));
        JsonNode storage = ObjectTree.object(spec, "resources", "requests") == null ? null
                : ObjectTree.object(spec, "resources", "requests").get("storage");
        if (storage == null || storage.isNull()) {
            errs.add(FieldError.required(path.child("resources").key("storage").toString()));
        } else {
            positiveQuantity(errs, storage, path.child("resources").key("storage"));
        }
        FieldChecks.oneOf(errs, spec, "volumeMode", path.child("volumeMode"), VOLUME_MODES, false);
    }

    private static void accessModes(List<FieldError> errs, ObjectNode spec, FieldPath path, String requiredDetail) {
        List<String> modes = ObjectTree.strings(spec, "accessModes");
        if (modes.isEmpty()) {
            errs.add(FieldError.required(path.child("accessModes").toString(), requiredDetail));
        }
        for (String m : modes) {
            if (!ACCESS_MODES.contains(m)) {
                errs.add(FieldError.notSupported(path.child("accessModes").toString(), m, ACCESS_MODES));
            }
        }
    }

    private static void positiveQuantity(List<FieldError> errs, JsonNode value, FieldPath path) {
        BigDecimal q = ResourceQuantities.parse(value.asText());
        if (q == null) {
            errs.add(FieldError.invalid(path.toString(), value.asText(), ResourceQuantities.SYNTAX_MESSAGE));
        } else if (q.signum() <= 0) {
            errs.add(FieldError.invalid(path.toString(), value.asText(), "must be greater than zero"));
        }
    }

    static void resourceQuota(List<FieldError> errs, ObjectNode quota) {
        ObjectNode hard = ObjectTree.object(quota, "spec", "hard");
        for (String name : ObjectTree.sortedKeys(hard)) {
            FieldPath p = FieldPath.of("spec", "hard").key(name);
            FieldChecks.invalidEach(errs, p, name, IdentifierSyntax.qualifiedName(name));
            BigDecimal q = ResourceQuantities.parse(hard.get(name).asText());
            if (q == null) {
                errs.add(FieldError.invalid(p.toString(), hard.get(name).asText(), ResourceQuantities.SYNTAX_MESSAGE));
            } else if (q.signum() < 0) {
                errs.add(FieldError.invalid(p.toString(), hard.get(name).asText(), FieldChecks.NON_NEGATIVE));
            }
        }
    }

    static void limitRange(List<FieldError> errs, ObjectNode lr) {
        List<ObjectNode> limits = ObjectTree.objects(ObjectTree.object(lr, "spec"), "limits");
        for (int i = 0; i < limits.size(); i++) {
            FieldChecks.oneOf(errs, limits.get(i), "type", FieldPath.of("spec", "limits").index(i).child("type"),
                    List.of("Container", "Pod", "PersistentVolumeClaim"), true);
        }
    }

    static void endpoints(List<FieldError> errs, ObjectNode ep) {
        List<ObjectNode> subsets = ObjectTree.objects(ep, "subsets");
        for (int i = 0; i < subsets.size(); i++) {
            FieldPath p = FieldPath.of("subsets").index(i);
            for (String list : List.of("addresses", "notReadyAddresses")) {
                List<ObjectNode> addresses = ObjectTree.objects(subsets.get(i), list);
                for (int j = 0; j < addresses.size(); j++) {
                    String ip = ObjectTree.textOrEmpty(addresses.get(j), "ip");
                    FieldChecks.invalidEach(errs, p.child(list).index(j).child("ip"), ip, IdentifierSyntax.ip(ip));
                }
            }
            List<ObjectNode> ports = ObjectTree.objects(subsets.get(i), "ports");
            for (int j = 0; j < ports.size(); j++) {
                long port = ports.get(j).path("port").asLong(0);
                FieldChecks.invalidEach(errs, p.child("ports").index(j).child("port"), port, IdentifierSyntax.portNumber(port));
            }
        }
    }

    /** Keys in {@code a} and {@code b} compared as JSON, absent equal to empty. */
    static boolean sameMap(JsonNode a, JsonNode b) {
        return FieldChecks.same(a, b) || (isEmptyObject(a) && isEmptyObject(b));
    }

    private static boolean isEmptyObject(JsonNode n) {
        return n == null || n.isNull() || (n.isObject() && n.isEmpty());
    }
}
