package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.RandomIds;
import dev.konductor.api.resource.ResourceType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * The metadata and status rules every write obeys, as upstream's registry strategies: who sets
 * uid, creationTimestamp and generation, which parts a status write may change, what a spec
 * write keeps from the old object.
 */
final class ObjectLifecycle {

    /** Kinds whose metadata.generation tracks spec changes (upstream's strategies set it). */
    private static final Set<String> GENERATION_KINDS = Set.of("Deployment", "ReplicaSet", "StatefulSet",
            "DaemonSet", "Job", "CronJob", "ReplicationController", "HorizontalPodAutoscaler", "PodDisruptionBudget",
            "NetworkPolicy", "Ingress", "CustomResourceDefinition", "PriorityClass", "IngressClass");

    private static final Set<String> NOT_SPEC = Set.of("apiVersion", "kind", "metadata", "status");


    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Fills name from generateName ({@code web-} → {@code web-x7k2q}). */
    void generateName(ObjectNode obj) {
        ObjectNode meta = obj.withObject("metadata");
        String name = meta.path("name").asText("");
        String prefix = meta.path("generateName").asText("");
        if (name.isEmpty() && !prefix.isEmpty()) {
            meta.put("name", (prefix.length() > 58 ? prefix.substring(0, 58) : prefix) + RandomIds.nameSuffix(RandomIds.THREAD_LOCAL));
        }
    }

    /** System-owned metadata on create, and the status a new object starts with. */
    void prepareForCreate(ResourceType type, ObjectNode obj) {
        ObjectNode meta = obj.withObject("metadata");
        meta.put("uid", RandomIds.uid());
        meta.put("creationTimestamp", now().toString());
        meta.remove("resourceVersion");
        meta.remove("deletionTimestamp");
        meta.remove("deletionGracePeriodSeconds");
        meta.remove("selfLink");
        if (tracksGeneration(type)) {
            meta.put("generation", 1);
        } else {
            meta.remove("generation");
        }
        if (!type.namespaced()) {
            meta.remove("namespace");
        }
        resetStatusOnCreate(type, obj);
    }

    private static void resetStatusOnCreate(ResourceType type, ObjectNode obj) {
        switch (type.kind()) {
            case "Pod" -> {
                ObjectNode status = obj.putObject("status");
                status.put("phase", "Pending");
                status.put("qosClass", QosClass.of(obj.path("spec")));
            }
            case "Namespace" -> obj.putObject("status").put("phase", "Active");
            case "Service" -> obj.putObject("status").putObject("loadBalancer");
            case "PersistentVolumeClaim", "PersistentVolume" -> obj.putObject("status").put("phase", "Pending");
            case "Node", "Event", "Lease", "EndpointSlice", "Endpoints", "ConfigMap", "Secret" -> {
                // objects without a status subresource keep what the writer sent
            }
            default -> {
                if (type.hasSubresource("status")) {
                    if (type.modelClass() == null) {
                        obj.remove("status");
                    } else {
                        obj.putObject("status");
                    }
                }
            }
        }
    }

    boolean tracksGeneration(ResourceType type) {
        return type.modelClass() == null || GENERATION_KINDS.contains(type.kind());
    }

    /**
     * A write to the main resource: system metadata comes from the old object, status too when
     * the kind has a status subresource, and generation moves when anything but metadata and
     * status changed.
     */
    void prepareForUpdate(ResourceType type, ObjectNode obj, ObjectNode old) {
        copySystemMetadata(obj, old);
        if (type.hasSubresource("status") && old.has("status")) {
            obj.set("status", old.get("status").deepCopy());
        } else if (type.hasSubresource("status")) {
            obj.remove("status");
        }
        updateGeneration(type, obj, old);
    }

    /** A write to /status: everything but status comes from the old object. */
    void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        JsonNode status = obj.get("status");
        JsonNode meta = obj.get("metadata");
        becomeCopyOf(obj, old);
        if (status != null) {
            obj.set("status", status);
        } else {
            obj.remove("status");
        }
        // labels and annotations written through /status are kept, as upstream does
        if (meta instanceof ObjectNode m) {
            ObjectNode target = obj.withObject("metadata");
            for (String field : new String[] {"labels", "annotations", "managedFields"}) {
                if (m.has(field)) {
                    target.set(field, m.get(field));
                }
            }
        }
    }

    /**
     * A write through a pod's {@code ephemeralcontainers} subresource changes its
     * {@code spec.ephemeralContainers} alone: {@code obj} becomes the stored pod with those.
     */
    void prepareForEphemeralContainersUpdate(ObjectNode obj, ObjectNode old) {
        JsonNode ephemeral = obj.path("spec").get("ephemeralContainers");
        JsonNode managedFields = obj.path("metadata").get("managedFields");
        becomeCopyOf(obj, old);
        if (ephemeral != null && !ephemeral.isNull()) {
            obj.withObject("spec").set("ephemeralContainers", ephemeral);
        } else {
            obj.withObject("spec").remove("ephemeralContainers");
        }
        if (managedFields != null) {
            obj.withObject("metadata").set("managedFields", managedFields);
        }
    }

    /** {@code obj} made a deep copy of {@code old}, for a subresource write that keeps all but a part. */
    private static void becomeCopyOf(ObjectNode obj, ObjectNode old) {
        obj.removeAll();
        old.properties().forEach(e -> obj.set(e.getKey(), e.getValue().deepCopy()));
    }

    private void updateGeneration(ResourceType type, ObjectNode obj, ObjectNode old) {
        if (!tracksGeneration(type)) {
            return;
        }
        long generation = old.path("metadata").path("generation").asLong(1);
        if (specChanged(obj, old)) {
            generation++;
        }
        obj.withObject("metadata").put("generation", generation);
    }

    /** Whether anything but apiVersion, kind, metadata and status differs. */
    private static boolean specChanged(ObjectNode obj, ObjectNode old) {
        java.util.Set<String> fields = new java.util.HashSet<>();
        obj.fieldNames().forEachRemaining(fields::add);
        old.fieldNames().forEachRemaining(fields::add);
        fields.removeAll(NOT_SPEC);
        for (String field : fields) {
            if (!java.util.Objects.equals(obj.get(field), old.get(field))) {
                return true;
            }
        }
        return false;
    }

    private static void copySystemMetadata(ObjectNode obj, ObjectNode old) {
        ObjectNode meta = obj.withObject("metadata");
        JsonNode oldMeta = old.path("metadata");
        for (String field : new String[] {"uid", "creationTimestamp", "deletionTimestamp",
                "deletionGracePeriodSeconds", "generation", "namespace", "name"}) {
            JsonNode value = oldMeta.get(field);
            if (value == null) {
                meta.remove(field);
            } else {
                meta.set(field, value.deepCopy());
            }
        }
        meta.remove("selfLink");
    }
}
