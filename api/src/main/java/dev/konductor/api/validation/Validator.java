package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.conversion.Converter;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.ObjectMetaView;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates objects as upstream's API server does before it stores them, returning every
 * problem found (an empty list means valid) with upstream's field paths and messages, ready for a
 * 422 {@link dev.konductor.api.status.StatusException#invalid}. Expects defaulted objects, as
 * upstream validates after defaulting. Stateless and thread-safe.
 *
 * <p>Custom resources get metadata validation here; their schema is checked elsewhere.
 */
public final class Validator {

    private static final FieldPath METADATA = FieldPath.of("metadata");

    private final Converter converter = new Converter();

    public List<FieldError> validateCreate(ResourceType type, ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        if (!isCoreEvent(type)) {
            ObjectMetaValidation.validate(errs, ObjectMetaView.of(obj), type.namespaced(), nameRule(type), METADATA);
        }
        validateKind(errs, type, obj);
        if (isPod(type)) {
            EphemeralContainerValidation.validateCreate(errs, obj);
        }
        return errs;
    }

    /**
     * Validates a write through a pod's {@code ephemeralcontainers} subresource: the metadata rules
     * of updates, the ephemeral containers added, and that none was changed or removed. The API
     * server has put back everything but {@code spec.ephemeralContainers}.
     */
    public List<FieldError> validateEphemeralContainersUpdate(ObjectNode newPod, ObjectNode oldPod) {
        List<FieldError> errs = new ArrayList<>();
        ObjectMetaValidation.validateUpdate(errs, newPod, oldPod);
        EphemeralContainerValidation.validateUpdate(errs, newPod, oldPod);
        return errs;
    }

    private static boolean isPod(ResourceType type) {
        return type.group().isEmpty() && type.kind().equals("Pod");
    }

    /**
     * Validates an update: metadata rules of updates, the new object's own validity, and which
     * fields may not change. The API server must have carried the stored resourceVersion into an
     * unconditional update and copied allocated values (cluster IPs, node ports) it lets
     * clients omit, as upstream does before validating.
     */
    public List<FieldError> validateUpdate(ResourceType type, ObjectNode newObj, ObjectNode oldObj) {
        List<FieldError> errs = new ArrayList<>();
        ObjectMetaValidation.validateUpdate(errs, newObj, oldObj);
        validateKind(errs, type, newObj);
        UpdateValidation.validate(errs, type.group(), type.kind(), newObj, oldObj);
        return errs;
    }

    /**
     * Validates a write through a {@code status} subresource, as upstream's status strategies do:
     * the metadata rules of updates only. The API server has put back everything but the status
     * and the labels and annotations (the stored spec, validated when it was written), so
     * validating the object's own rules again could only find fault with the stored spec; a pod's
     * status write re-checked its whole spec, a sixth of its CPU.
     */
    public List<FieldError> validateStatusUpdate(ResourceType type, ObjectNode newObj, ObjectNode oldObj) {
        List<FieldError> errs = new ArrayList<>();
        ObjectMetaValidation.validateUpdate(errs, newObj, oldObj);
        return errs;
    }

    /** Which name syntax a kind's objects must follow. */
    public static NameRule nameRule(ResourceType type) {
        return switch (type.group() + "/" + type.kind()) {
            case "/Namespace" -> NameRule.DNS1123_LABEL;
            case "/Service" -> NameRule.DNS1035_LABEL;
            default -> type.group().equals("rbac.authorization.k8s.io") ? NameRule.PATH_SEGMENT : NameRule.DNS_SUBDOMAIN;
        };
    }

    /** core/v1 Events predate ObjectMeta validation; upstream keeps checking them loosely. */
    private static boolean isCoreEvent(ResourceType type) {
        return type.group().isEmpty() && type.kind().equals("Event");
    }

    private void validateKind(List<FieldError> errs, ResourceType type, ObjectNode obj) {
        switch (type.group()) {
            case "" -> core(errs, type.kind(), obj);
            case "apps" -> apps(errs, type.kind(), obj);
            case "batch" -> {
                switch (type.kind()) {
                    case "Job" -> BatchValidation.job(errs, obj);
                    case "CronJob" -> BatchValidation.cronJob(errs, obj);
                    default -> { }
                }
            }
            case "autoscaling" -> ClusterValidation.horizontalPodAutoscaler(errs, obj, type.version());
            case "policy" -> ClusterValidation.podDisruptionBudget(errs, obj);
            case "coordination.k8s.io" -> ClusterValidation.lease(errs, obj);
            case "discovery.k8s.io" -> NetworkingValidation.endpointSlice(errs, obj);
            case "events.k8s.io" -> CoreValidation.event(errs, converter.toStorage(type, obj), true);
            case "networking.k8s.io" -> networking(errs, type.kind(), obj);
            case "rbac.authorization.k8s.io" -> rbac(errs, type.kind(), obj);
            case "scheduling.k8s.io" -> ClusterValidation.priorityClass(errs, obj);
            case "storage.k8s.io" -> ClusterValidation.storageClass(errs, obj);
            case "apiextensions.k8s.io" -> CustomResourceDefinitionValidation.validate(errs, obj);
            default -> { }
        }
    }

    private static void core(List<FieldError> errs, String kind, ObjectNode obj) {
        switch (kind) {
            case "Pod" -> PodValidation.validatePod(errs, obj);
            case "PodTemplate" -> PodValidation.validateTemplate(errs,
                    ObjectTree.object(obj, "template"), FieldPath.of("template"));
            case "ReplicationController" -> AppsValidation.replicationController(errs, obj);
            case "Service" -> ServiceValidation.validate(errs, obj);
            case "ConfigMap" -> CoreValidation.configMap(errs, obj);
            case "Secret" -> CoreValidation.secret(errs, obj);
            case "Namespace" -> CoreValidation.namespace(errs, obj);
            case "Node" -> CoreValidation.node(errs, obj);
            case "Event" -> CoreValidation.event(errs, obj, false);
            case "PersistentVolume" -> CoreValidation.persistentVolume(errs, obj);
            case "PersistentVolumeClaim" -> CoreValidation.persistentVolumeClaim(errs, obj);
            case "ResourceQuota" -> CoreValidation.resourceQuota(errs, obj);
            case "LimitRange" -> CoreValidation.limitRange(errs, obj);
            case "Endpoints" -> CoreValidation.endpoints(errs, obj);
            default -> { }
        }
    }

    private static void apps(List<FieldError> errs, String kind, ObjectNode obj) {
        switch (kind) {
            case "Deployment" -> AppsValidation.deployment(errs, obj);
            case "ReplicaSet" -> AppsValidation.replicaSet(errs, obj);
            case "StatefulSet" -> AppsValidation.statefulSet(errs, obj);
            case "DaemonSet" -> AppsValidation.daemonSet(errs, obj);
            default -> { }
        }
    }

    private static void networking(List<FieldError> errs, String kind, ObjectNode obj) {
        switch (kind) {
            case "Ingress" -> NetworkingValidation.ingress(errs, obj);
            case "IngressClass" -> NetworkingValidation.ingressClass(errs, obj);
            case "NetworkPolicy" -> NetworkingValidation.networkPolicy(errs, obj);
            default -> { }
        }
    }

    private static void rbac(List<FieldError> errs, String kind, ObjectNode obj) {
        switch (kind) {
            case "Role" -> ClusterValidation.role(errs, obj, true);
            case "ClusterRole" -> ClusterValidation.role(errs, obj, false);
            case "RoleBinding" -> ClusterValidation.roleBinding(errs, obj, true);
            case "ClusterRoleBinding" -> ClusterValidation.roleBinding(errs, obj, false);
            default -> { }
        }
    }
}
