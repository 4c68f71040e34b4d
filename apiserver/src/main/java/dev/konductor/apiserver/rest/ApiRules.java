package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.defaults.Defaulter;
import dev.konductor.api.patch.JsonPatch;
import dev.konductor.api.patch.ManagedFields;
import dev.konductor.api.patch.MergePatch;
import dev.konductor.api.patch.ServerSideApply;
import dev.konductor.api.patch.StrategicMergePatch;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.schema.FieldPruner;
import dev.konductor.api.schema.ModelSchemas;
import dev.konductor.api.schema.Schema;
import dev.konductor.api.status.FieldError;
import dev.konductor.apiserver.protobuf.ProtobufBodies;
import java.time.Instant;
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

        ObjectNode toStorage(ResourceType type, ObjectNode obj);

        ObjectNode fromStorage(ResourceType type, ObjectNode obj);
    }

    private final ModelSchemas models;
    private final Defaulter defaulter = new Defaulter();
    private final ProtobufBodies protobuf = ProtobufBodies.standard();
    private final KindChecks checks;
    private final Map<ResourceType, Schema> customSchemas = new ConcurrentHashMap<>();

    public ApiRules(ModelSchemas models, KindChecks checks) {
        this.models = models;
        this.checks = checks;
    }

    public ModelSchemas models() {
        return models;
    }

    public Schema schema(ResourceType type) {
        if (type.modelClass() == null) {
            return customSchemas.get(type);
        }
        return models.forModel(type.modelClass());
    }

    public void putCustom(ResourceType type, Schema schema) {
        customSchemas.put(type, schema);
    }

    public void removeCustom(ResourceType type) {
        customSchemas.remove(type);
    }

    public void applyDefaults(ResourceType type, ObjectNode obj) {
        if (type.modelClass() != null) {
            defaulter.apply(type, obj);
        }
    }

    public List<FieldError> validateCreate(ResourceType type, ObjectNode obj) {
        return checks.validateCreate(type, obj);
    }

    public List<FieldError> validateUpdate(ResourceType type, ObjectNode obj, ObjectNode old) {
        return checks.validateUpdate(type, obj, old);
    }

    /** Removes fields the schema does not know and returns their paths. */
    public List<String> pruneUnknown(ResourceType type, ObjectNode obj) {
        Schema schema = schema(type);
        return schema == null ? List.of() : FieldPruner.pruneUnknown(obj, schema);
    }

    /** The object in its storage version, with that version's defaults applied too. */
    public ObjectNode toStorage(ResourceType type, ObjectNode obj) {
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
        return type.isStorageVersion() ? obj : checks.fromStorage(type, obj);
    }

    public JsonNode decodeProtobuf(byte[] body) {
        return protobuf.read(body);
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

    public void recordManagedFields(ResourceType type, ObjectNode old, ObjectNode obj, String manager,
                                    String subresource, Instant now) {
        ManagedFields.recordUpdate(old, obj, manager, "Update", subresource, schema(type), now);
    }
}
