package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.defaults.Defaulter;
import dev.konductor.api.patch.JsonPatch;
import dev.konductor.api.patch.ManagedFields;
import dev.konductor.api.patch.MergePatch;
import dev.konductor.api.patch.ServerSideApply;
import dev.konductor.api.patch.StrategicMergePatch;
import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.schema.CrdValidator;
import dev.konductor.api.schema.Defaults;
import dev.konductor.api.schema.FieldPruner;
import dev.konductor.api.schema.ModelSchemas;
import dev.konductor.api.schema.Schema;
import dev.konductor.api.status.FieldError;
import dev.konductor.apiserver.metrics.MetricsReadings;
import dev.konductor.apiserver.protobuf.ProtobufBodies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-kind rules the REST layer applies, gathered from the api module: schemas, defaults,
 * validation, version conversion, patch engines, protobuf decoding. Custom resources get theirs
 * from their CustomResourceDefinition.
 */
public final class ApiRules {

    /** Validation and conversion, supplied by the api module (or a CRD for custom resources). */
    public interface KindChecks {
        List<FieldError> validateCreate(ResourceType type, ObjectNode obj);

        List<FieldError> validateUpdate(ResourceType type, ObjectNode obj, ObjectNode old);

        /** A write through the status subresource: everything but status and labels/annotations is the stored object. */
        List<FieldError> validateStatusUpdate(ResourceType type, ObjectNode obj, ObjectNode old);

        /** A write through a pod's ephemeralcontainers subresource: all but spec.ephemeralContainers is the stored pod. */
        List<FieldError> validateEphemeralContainersUpdate(ObjectNode pod, ObjectNode old);

        ObjectNode toStorage(ResourceType type, ObjectNode obj);

        ObjectNode fromStorage(ResourceType type, ObjectNode obj);
    }

    private final ModelSchemas models;
    private final Defaulter defaulter = new Defaulter();
    private final KindChecks checks;
    private final Map<GroupVersionKind, CustomKind> customKinds = new ConcurrentHashMap<>();

    /**
     * The rules of one served version of a custom resource, from its CustomResourceDefinition.
     *
     * @param schema       the structural schema (pruning, patching, apply)
     * @param validation   the version's openAPIV3Schema as written (validation and defaults)
     * @param scale        where the scale subresource reads and writes, or null without one
     * @param terminating  whether the definition is being deleted (no new objects)
     */
    public record CustomKind(Schema schema, JsonNode validation, ScalePaths scale, boolean terminating) {
    }

    public ApiRules(ModelSchemas models, KindChecks checks) {
        this.models = models;
        this.checks = checks;
    }

    public ModelSchemas models() {
        return models;
    }

    public Schema schema(ResourceType type) {
        if (type.modelClass() == null) {
            CustomKind custom = customKinds.get(type.gvk());
            return custom == null ? null : custom.schema();
        }
        return models.forModel(type.modelClass());
    }

    /** Serves a custom resource version by these rules (replacing earlier ones). */
    public void putCustom(ResourceType type, CustomKind kind) {
        customKinds.put(type.gvk(), kind);
    }

    public void removeCustom(ResourceType type) {
        customKinds.remove(type.gvk());
    }

    /** The rules of a custom resource version, or null for built-in kinds. */
    public CustomKind custom(ResourceType type) {
        return type.modelClass() == null ? customKinds.get(type.gvk()) : null;
    }

    /** Where {@code /scale} finds replicas and the selector. */
    public ScalePaths scalePaths(ResourceType type) {
        CustomKind custom = custom(type);
        return custom == null ? ScalePaths.BUILT_IN : custom.scale();
    }

    public void applyDefaults(ResourceType type, ObjectNode obj) {
        if (type.modelClass() != null) {
            defaulter.apply(type, obj);
            return;
        }
        CustomKind custom = custom(type);
        if (custom != null) {
            Defaults.apply(obj, custom.validation());
        }
    }

    public List<FieldError> validateCreate(ResourceType type, ObjectNode obj) {
        return withSchemaErrors(type, obj, checks.validateCreate(type, obj));
    }

    public List<FieldError> validateUpdate(ResourceType type, ObjectNode obj, ObjectNode old) {
        return withSchemaErrors(type, obj, checks.validateUpdate(type, obj, old));
    }

    public List<FieldError> validateStatusUpdate(ResourceType type, ObjectNode obj, ObjectNode old) {
        return withSchemaErrors(type, obj, checks.validateStatusUpdate(type, obj, old));
    }

    public List<FieldError> validateEphemeralContainersUpdate(ObjectNode pod, ObjectNode old) {
        return checks.validateEphemeralContainersUpdate(pod, old);
    }

    /** Custom resources are also checked against their version's openAPIV3Schema. */
    private List<FieldError> withSchemaErrors(ResourceType type, ObjectNode obj, List<FieldError> errors) {
        CustomKind custom = custom(type);
        if (custom == null) {
            return errors;
        }
        List<FieldError> all = new ArrayList<>(errors);
        all.addAll(CrdValidator.validate(obj, custom.validation()));
        return all;
    }

    /** Removes fields the schema does not know and returns their paths. */
    public List<String> pruneUnknown(ResourceType type, ObjectNode obj) {
        Schema schema = schema(type);
        return schema == null ? List.of() : FieldPruner.pruneUnknown(obj, schema);
    }

    /** The object in its storage version, with that version's defaults applied too. */
    public ObjectNode toStorage(ResourceType type, ObjectNode obj) {
        if (type.modelClass() == null) {
            // custom resources with conversion strategy None differ only in apiVersion
            obj.put("apiVersion", type.storageVersion().apiVersion());
            return obj;
        }
        if (type.isStorageVersion()) {
            return obj;
        }
        ObjectNode stored = checks.toStorage(type, obj);
        if (type.modelClass() != null) {
            defaulter.apply(type.storageVersion(), stored);
        }
        return stored;
    }

    public ObjectNode fromStorage(ResourceType type, ObjectNode obj) {
        if (type.modelClass() == null) {
            if (type.apiVersion().equals(obj.path("apiVersion").asText())) {
                return obj;
            }
            ObjectNode copy = obj.deepCopy(); // the argument may be a shared cached object
            copy.put("apiVersion", type.apiVersion());
            return copy;
        }
        return type.isStorageVersion() ? obj : checks.fromStorage(type, obj);
    }

    /**
     * Whether a stored object needs converting to be served as {@code type}. A custom resource
     * stored before its definition's storage version changed keeps its old apiVersion.
     */
    public boolean needsConversion(ResourceType type, com.fasterxml.jackson.databind.JsonNode stored) {
        if (type.modelClass() == null) {
            return !type.apiVersion().equals(stored.path("apiVersion").asText());
        }
        return !type.isStorageVersion();
    }

    public JsonNode decodeProtobuf(byte[] body) {
        return ProtobufBodies.standard().read(body);
    }

    public JsonNode jsonPatch(JsonNode target, JsonNode patch) {
        return JsonPatch.apply(target, patch);
    }

    public JsonNode mergePatch(JsonNode target, JsonNode patch) {
        return MergePatch.apply(target, patch);
    }

    public JsonNode strategicMergePatch(ResourceType type, JsonNode target, JsonNode patch) {
        return StrategicMergePatch.apply(target, patch, schema(type));
    }

    public ObjectNode apply(ResourceType type, ObjectNode live, ObjectNode applied, String manager, boolean force,
                            Instant now) {
        return ServerSideApply.apply(live, applied, manager, force, schema(type), now);
    }

    /**
     * Records an update in the object's managedFields, as upstream's field manager does, except on
     * metrics.k8s.io readings, which carry none as metrics-server's do (servers that share an etcd
     * store them, and node agents rewrite them every 15 s for each node and pod: tracking who owns
     * their usage would be work for nothing).
     */
    public void recordManagedFields(ResourceType type, ObjectNode old, ObjectNode obj, String manager,
                                    String subresource, Instant now) {
        if (type.group().equals(MetricsReadings.GROUP)) {
            if (obj.get("metadata") instanceof ObjectNode metadata) {
                metadata.remove("managedFields");
            }
            return;
        }
        ManagedFields.recordUpdate(old, obj, manager, "Update", subresource, schema(type), now);
    }
}
