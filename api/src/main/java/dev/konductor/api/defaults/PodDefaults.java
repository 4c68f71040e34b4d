package dev.konductor.api.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.ObjectTree;
import java.util.List;

/**
 * Defaults of a pod spec and everything inside it (containers, probes, volumes), shared by Pods
 * and by every pod template (Deployment, Job, ...). A few defaults apply to real Pods only, as
 * upstream keeps them out of templates so that controllers do not see their templates change:
 * see {@link #pod}.
 */
final class PodDefaults {

    /** Every field of a VolumeSource; a volume with none of them becomes an emptyDir. */
    private static final List<String> VOLUME_SOURCES = List.of("hostPath", "emptyDir", "gcePersistentDisk",
            "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd",
            "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume",
            "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi",
            "ephemeral", "image");

    /** 0644: upstream's default mode for secret, configMap, downwardAPI and projected volumes. */
    private static final int DEFAULT_FILE_MODE = 420;

    private PodDefaults() {
    }

    /** A Pod object: spec defaults plus the Pod-only ones. */
    static void pod(ObjectNode pod) {
        ObjectNode spec = ObjectTree.ensureObject(pod, "spec");
        podSpec(spec);
        for (String list : List.of("containers", "initContainers")) {
            ObjectTree.objects(spec, list).forEach(PodDefaults::requestsFromLimits);
        }
        DefaultFields.bool(spec, "enableServiceLinks", true);
        if (Boolean.TRUE.equals(ObjectTree.bool(spec, "hostNetwork"))) {
            for (String list : List.of("containers", "initContainers")) {
                for (ObjectNode c : ObjectTree.objects(spec, list)) {
                    for (ObjectNode port : ObjectTree.objects(c, "ports")) {
                        if (port.has("containerPort")) {
                            DefaultFields.nonZero(port, "hostPort", port.get("containerPort").asInt());
                        }
                    }
                }
            }
        }
        // What the Priority admission plugin sets when the pod names no PriorityClass and the
        // cluster has no global default class; a named class is resolved by that plugin.
        if (ObjectTree.isEmpty(spec, "priorityClassName")) {
            DefaultFields.integer(spec, "priority", 0);
            DefaultFields.string(spec, "preemptionPolicy", "PreemptLowerPriority");
        }
    }

    /** A PodTemplateSpec ({@code spec.template} of workloads). */
    static void template(ObjectNode template) {
        DefaultFields.templateMetadata(template);
        podSpec(ObjectTree.ensureObject(template, "spec"));
    }

    static void podSpec(ObjectNode spec) {
        DefaultFields.string(spec, "dnsPolicy", "ClusterFirst");
        DefaultFields.string(spec, "restartPolicy", "Always");
        DefaultFields.object(spec, "securityContext");
        DefaultFields.integer(spec, "terminationGracePeriodSeconds", 30);
        DefaultFields.string(spec, "schedulerName", "default-scheduler");
        for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
            ObjectTree.objects(spec, list).forEach(PodDefaults::container);
        }
        ObjectTree.objects(spec, "volumes").forEach(PodDefaults::volume);
    }

    static void container(ObjectNode c) {
        if (ObjectTree.isEmpty(c, "imagePullPolicy")) {
            c.put("imagePullPolicy", "latest".equals(imageTag(ObjectTree.textOrEmpty(c, "image")))
                    ? "Always" : "IfNotPresent");
        }
        DefaultFields.string(c, "terminationMessagePath", "/dev/termination-log");
        DefaultFields.string(c, "terminationMessagePolicy", "File");
        // ResourceRequirements is a Go struct value, so upstream always writes it, empty or not.
        DefaultFields.object(c, "resources");
        for (ObjectNode port : ObjectTree.objects(c, "ports")) {
            DefaultFields.string(port, "protocol", "TCP");
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            ObjectNode p = ObjectTree.object(c, probe);
            if (p != null) {
                probe(p);
            }
        }
        ObjectNode lifecycle = ObjectTree.object(c, "lifecycle");
        if (lifecycle != null) {
            for (String hook : List.of("postStart", "preStop")) {
                ObjectNode handler = ObjectTree.object(lifecycle, hook);
                if (handler != null) {
                    handler(handler);
                }
            }
        }
        for (ObjectNode env : ObjectTree.objects(c, "env")) {
            ObjectNode valueFrom = ObjectTree.object(env, "valueFrom");
            if (valueFrom != null) {
                fieldRefs(valueFrom);
            }
        }
    }

    /**
     * The tag of an image reference, "latest" when there is neither tag nor digest, as upstream's
     * reference parser: a digest wins, and a colon before the last slash is a registry port.
     */
    static String imageTag(String image) {
        int at = image.indexOf('@');
        String name = at < 0 ? image : image.substring(0, at);
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        if (colon > slash) {
            return name.substring(colon + 1);
        }
        return at < 0 ? "latest" : "";
    }

    private static void probe(ObjectNode p) {
        DefaultFields.nonZero(p, "timeoutSeconds", 1);
        DefaultFields.nonZero(p, "periodSeconds", 10);
        DefaultFields.nonZero(p, "successThreshold", 1);
        DefaultFields.nonZero(p, "failureThreshold", 3);
        handler(p);
    }

    private static void handler(ObjectNode h) {
        ObjectNode http = ObjectTree.object(h, "httpGet");
        if (http != null) {
            DefaultFields.string(http, "path", "/");
            DefaultFields.string(http, "scheme", "HTTP");
        }
        ObjectNode grpc = ObjectTree.object(h, "grpc");
        if (grpc != null && !ObjectTree.has(grpc, "service")) {
            grpc.put("service", "");
        }
    }

    /** fieldRef.apiVersion "v1"; resourceFieldRef.divisor "0" (a Go Quantity value serializes as "0"). */
    private static void fieldRefs(ObjectNode source) {
        ObjectNode fieldRef = ObjectTree.object(source, "fieldRef");
        if (fieldRef != null) {
            DefaultFields.string(fieldRef, "apiVersion", "v1");
        }
        ObjectNode resourceFieldRef = ObjectTree.object(source, "resourceFieldRef");
        if (resourceFieldRef != null && !ObjectTree.has(resourceFieldRef, "divisor")) {
            resourceFieldRef.put("divisor", "0");
        }
    }

    static void volume(ObjectNode v) {
        if (VOLUME_SOURCES.stream().noneMatch(s -> ObjectTree.has(v, s))) {
            v.putObject("emptyDir");
        }
        for (String source : List.of("secret", "configMap", "projected")) {
            ObjectNode s = ObjectTree.object(v, source);
            if (s != null) {
                DefaultFields.integer(s, "defaultMode", DEFAULT_FILE_MODE);
            }
        }
        ObjectNode downward = ObjectTree.object(v, "downwardAPI");
        if (downward != null) {
            DefaultFields.integer(downward, "defaultMode", DEFAULT_FILE_MODE);
            ObjectTree.objects(downward, "items").forEach(PodDefaults::fieldRefs);
        }
        ObjectNode projected = ObjectTree.object(v, "projected");
        if (projected != null) {
            for (ObjectNode source : ObjectTree.objects(projected, "sources")) {
                ObjectNode token = ObjectTree.object(source, "serviceAccountToken");
                if (token != null) {
                    DefaultFields.integer(token, "expirationSeconds", 3600);
                }
                ObjectNode items = ObjectTree.object(source, "downwardAPI");
                if (items != null) {
                    ObjectTree.objects(items, "items").forEach(PodDefaults::fieldRefs);
                }
            }
        }
        ObjectNode hostPath = ObjectTree.object(v, "hostPath");
        if (hostPath != null && !ObjectTree.has(hostPath, "type")) {
            hostPath.put("type", "");
        }
        ObjectNode iscsi = ObjectTree.object(v, "iscsi");
        if (iscsi != null) {
            DefaultFields.string(iscsi, "iscsiInterface", "default");
        }
        ObjectNode ephemeral = ObjectTree.object(v, "ephemeral");
        ObjectNode claimTemplate = ephemeral == null ? null : ObjectTree.object(ephemeral, "volumeClaimTemplate");
        if (claimTemplate != null) {
            CoreDefaults.claimSpec(ObjectTree.ensureObject(claimTemplate, "spec"));
        }
    }

    /** Pod-only: each resource with a limit but no request gets a request equal to the limit. */
    private static void requestsFromLimits(ObjectNode container) {
        ObjectNode resources = ObjectTree.object(container, "resources");
        ObjectNode limits = resources == null ? null : ObjectTree.object(resources, "limits");
        if (limits == null) {
            return;
        }
        ObjectNode requests = ObjectTree.ensureObject(resources, "requests");
        limits.properties().forEach(e -> {
            JsonNode existing = requests.get(e.getKey());
            if (existing == null || existing.isNull()) {
                requests.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }
}
