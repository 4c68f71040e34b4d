package dev.konductor.api.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.ObjectMetaView;
import dev.konductor.api.meta.ObjectTree;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Defaults of the core ({@code v1}) kinds other than the pod spec itself. */
final class CoreDefaults {

    private CoreDefaults() {
    }

    static void apply(String kind, ObjectNode obj) {
        switch (kind) {
            case "Pod" -> PodDefaults.pod(obj);
            case "PodTemplate" -> PodDefaults.template(ObjectTree.ensureObject(obj, "template"));
            case "ReplicationController" -> replicationController(obj);
            case "Service" -> ServiceDefaults.service(obj);
            case "Secret" -> secret(obj);
            case "Namespace" -> namespace(obj);
            case "Node" -> node(obj);
            case "PersistentVolume" -> persistentVolume(obj);
            case "PersistentVolumeClaim" -> persistentVolumeClaim(obj);
            case "Endpoints" -> endpoints(obj);
            case "LimitRange" -> limitRange(obj);
            default -> {
                // ConfigMap, ServiceAccount, Event, ResourceQuota: nothing to default.
            }
        }
    }

    private static void replicationController(ObjectNode rc) {
        ObjectNode spec = ObjectTree.ensureObject(rc, "spec");
        ObjectNode template = ObjectTree.object(spec, "template");
        if (template != null) {
            JsonNode templateLabels = ObjectTree.object(template, "metadata", "labels");
            // An RC without a selector selects, and is labelled like, the pods it makes.
            if (templateLabels != null) {
                if (ObjectTree.isEmpty(spec, "selector")) {
                    spec.set("selector", templateLabels.deepCopy());
                }
                ObjectNode meta = ObjectTree.ensureObject(rc, "metadata");
                if (ObjectTree.isEmpty(meta, "labels")) {
                    meta.set("labels", templateLabels.deepCopy());
                }
            }
            PodDefaults.template(template);
        }
        DefaultFields.integer(spec, "replicas", 1);
        ObjectNode status = ObjectTree.ensureObject(rc, "status");
        DefaultFields.integer(status, "replicas", 0);
    }

    private static void secret(ObjectNode secret) {
        DefaultFields.string(secret, "type", "Opaque");
        // stringData is write-only: upstream folds it into data (winning over data's keys) as the
        // object comes in, so it is never stored or shown.
        ObjectNode stringData = ObjectTree.object(secret, "stringData");
        if (stringData != null) {
            ObjectNode data = ObjectTree.ensureObject(secret, "data");
            stringData.properties().forEach(e -> data.put(e.getKey(),
                    Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
            secret.remove("stringData");
        }
    }

    private static void namespace(ObjectNode ns) {
        String name = ObjectMetaView.of(ns).name();
        // Upstream stamps this label on every named namespace, overwriting whatever was there.
        if (!name.isEmpty()) {
            ObjectTree.ensureObject(ObjectTree.ensureObject(ns, "metadata"), "labels")
                    .put("kubernetes.io/metadata.name", name);
        }
        DefaultFields.strings(ObjectTree.ensureObject(ns, "spec"), "finalizers", List.of("kubernetes"));
        DefaultFields.string(ObjectTree.ensureObject(ns, "status"), "phase", "Active");
    }

    private static void node(ObjectNode node) {
        ObjectNode status = ObjectTree.object(node, "status");
        if (status != null && ObjectTree.has(status, "capacity") && !ObjectTree.has(status, "allocatable")) {
            status.set("allocatable", status.get("capacity").deepCopy());
        }
    }

    private static void persistentVolume(ObjectNode pv) {
        ObjectNode spec = ObjectTree.ensureObject(pv, "spec");
        DefaultFields.string(spec, "persistentVolumeReclaimPolicy", "Retain");
        DefaultFields.string(spec, "volumeMode", "Filesystem");
        ObjectNode hostPath = ObjectTree.object(spec, "hostPath");
        if (hostPath != null && !ObjectTree.has(hostPath, "type")) {
            hostPath.put("type", "");
        }
        DefaultFields.string(ObjectTree.ensureObject(pv, "status"), "phase", "Pending");
    }

    /** A PersistentVolumeClaim, also as it appears in StatefulSet volumeClaimTemplates. */
    static void persistentVolumeClaim(ObjectNode pvc) {
        claimSpec(ObjectTree.ensureObject(pvc, "spec"));
        DefaultFields.string(ObjectTree.ensureObject(pvc, "status"), "phase", "Pending");
    }

    static void claimSpec(ObjectNode spec) {
        DefaultFields.string(spec, "volumeMode", "Filesystem");
    }

    private static void endpoints(ObjectNode ep) {
        for (ObjectNode subset : ObjectTree.objects(ep, "subsets")) {
            for (ObjectNode port : ObjectTree.objects(subset, "ports")) {
                DefaultFields.string(port, "protocol", "TCP");
            }
        }
    }

    /**
     * Container limit items: default limit from max, default request from the default limit,
     * then from min. These are what the LimitRanger admission plugin later applies to pods.
     */
    private static void limitRange(ObjectNode lr) {
        for (ObjectNode item : ObjectTree.objects(ObjectTree.object(lr, "spec"), "limits")) {
            if (!"Container".equals(ObjectTree.text(item, "type"))) {
                continue;
            }
            ObjectNode defaults = ObjectTree.ensureObject(item, "default");
            ObjectNode defaultRequest = ObjectTree.ensureObject(item, "defaultRequest");
            copyMissing(ObjectTree.object(item, "max"), defaults);
            copyMissing(defaults, defaultRequest);
            copyMissing(ObjectTree.object(item, "min"), defaultRequest);
            // Empty maps are omitted on the wire; do not leave artifacts behind.
            if (defaults.isEmpty()) {
                item.remove("default");
            }
            if (defaultRequest.isEmpty()) {
                item.remove("defaultRequest");
            }
        }
    }

    private static void copyMissing(ObjectNode from, ObjectNode to) {
        if (from == null) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : from.properties()) {
            if (!ObjectTree.has(to, e.getKey())) {
                to.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }
}
