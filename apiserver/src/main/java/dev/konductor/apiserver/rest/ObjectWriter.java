package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.FieldError;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.admission.Admission;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.storage.ObjectStorage;
import dev.konductor.apiserver.watchcache.CachedObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The write path shared by create, update, patch and the subresources: field validation,
 * defaulting, conversion to the storage version, lifecycle metadata, admission, validation,
 * managedFields, then a compare-and-swap write (or nothing, under dryRun).
 */
final class ObjectWriter {

    /** The pod subresource {@code kubectl debug} adds its containers through. */
    static final String EPHEMERAL_CONTAINERS = "ephemeralcontainers";

    private final ObjectStorage storage;
    private final ApiRules rules;
    private final ObjectLifecycle lifecycle = new ObjectLifecycle();
    private final List<Admission> admission;

    ObjectWriter(ObjectStorage storage, ApiRules rules, List<Admission> admission) {
        this.storage = storage;
        this.rules = rules;
        this.admission = admission;
    }

    ObjectLifecycle lifecycle() {
        return lifecycle;
    }

    /** Checks that the body's apiVersion and kind are the URL's, filling them in if absent. */
    static void checkTypeMeta(ResourceType type, ObjectNode obj) {
        String apiVersion = obj.path("apiVersion").asText("");
        String kind = obj.path("kind").asText("");
        if (apiVersion.isEmpty() && kind.isEmpty()) {
            obj.put("apiVersion", type.apiVersion());
            obj.put("kind", type.kind());
            return;
        }
        if (kind.isEmpty()) {
            throw StatusException.badRequest("Object 'Kind' is missing in '" + abbreviate(obj.toString()) + "'");
        }
        if (!kind.equals(type.kind()) || !apiVersion.equals(type.apiVersion())) {
            throw StatusException.badRequest("the API version in the data (" + apiVersion + ") does not match the "
                    + "expected API version (" + type.apiVersion() + ")"
                    + (kind.equals(type.kind()) ? "" : "; the kind in the data (" + kind + ") does not match the "
                    + "expected kind (" + type.kind() + ")"));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** Unknown fields: Strict refuses them (400), Warn reports them as warnings, Ignore drops them. */
    void checkUnknownFields(RequestContext ctx, ObjectNode obj, String verb) {
        List<String> unknown = rules.pruneUnknown(ctx.type(), obj);
        if (unknown.isEmpty()) {
            return;
        }
        switch (ctx.fieldValidation()) {
            case "Strict" -> {
                String fields = unknown.size() == 1 ? "unknown field \"" + unknown.get(0) + "\""
                        : String.join(", ", unknown.stream().map(f -> "unknown field \"" + f + "\"").toList());
                throw StatusException.badRequest(ctx.type().kind() + " in version \"" + ctx.type().version()
                        + "\" cannot be handled as a " + ctx.type().kind() + ": strict decoding error: " + fields);
            }
            case "Warn" -> unknown.forEach(f -> ctx.exchange().warn("unknown field \"" + f + "\""));
            default -> {
            }
        }
    }

    /** The served-version object as the storage version, defaulted. */
    ObjectNode toStorage(ResourceType type, ObjectNode served) {
        rules.applyDefaults(type, served);
        return rules.toStorage(type, served);
    }

    CachedObject create(RequestContext ctx, ObjectNode obj) {
        ResourceType type = ctx.type();
        ApiRules.CustomKind custom = rules.custom(type);
        if (custom != null && custom.terminating()) {
            throw StatusException.methodNotAllowed("create not allowed while custom resource definition is terminating");
        }
        if (!ctx.isApply()) {
            // As upstream, the fields the request sets, defaulted: not those the server adds after
            // (a pod's service-account volume, whose random name made every pod's fieldsV1 unique).
            // An apply has recorded its own Apply entry; an Update entry would take its fields away.
            rules.recordManagedFields(type, null, obj, ctx.fieldManager(), null, ObjectLifecycle.now());
        }
        lifecycle.generateName(obj);
        lifecycle.prepareForCreate(type, obj);
        if (type.isStorageVersion()) {
            rules.applyDefaults(type, obj); // defaults that need the uid (a Job's generated selector)
        }
        Admission.Request request = ctx.admissionRequest(null);
        admit(Admission.Operation.CREATE, type, obj, null, request);
        validate(type, obj, rules.validateCreate(type, rules.fromStorage(type, obj)));
        admitValidated(Admission.Operation.CREATE, type, obj, null, request);
        if (ctx.dryRun()) {
            return new CachedObject(key(type, obj), obj, 0);
        }
        return storage.create(type, key(type, obj), obj);
    }

    /**
     * Replaces {@code old} by {@code obj} (both storage version). The caller has run the
     * subresource-specific preparation; this runs admission, validation and the write.
     *
     * @return the stored object, or null when it changed meanwhile (retry or 409)
     */
    CachedObject update(RequestContext ctx, ObjectNode obj, CachedObject old, String subresource) {
        ResourceType type = ctx.type();
        if (!ctx.isApply()) {
            // before mutating admission, as on create
            rules.recordManagedFields(type, old.object(), obj, ctx.fieldManager(), subresource, ObjectLifecycle.now());
        }
        Admission.Request request = ctx.admissionRequest(subresource);
        admit(Admission.Operation.UPDATE, type, obj, old.object(), request);
        if (!obj.path("metadata").hasNonNull("resourceVersion")) {
            // an unconditional update is validated as if it named the version it replaces
            obj.withObject("metadata").put("resourceVersion", Long.toString(old.modRevision()));
        }
        if ("status".equals(subresource)) {
            validate(type, obj, rules.validateStatusUpdate(type, rules.fromStorage(type, obj),
                    rules.fromStorage(type, old.object())));
        } else if (EPHEMERAL_CONTAINERS.equals(subresource)) {
            validate(type, obj, rules.validateEphemeralContainersUpdate(obj, old.object()));
        } else if (!"binding".equals(subresource)) {
            // a binding sets spec.nodeName, which no pod update may change: upstream's binding
            // storage writes it without running pod update validation, and so do we
            validate(type, obj, rules.validateUpdate(type, rules.fromStorage(type, obj),
                    rules.fromStorage(type, old.object())));
        }
        admitValidated(Admission.Operation.UPDATE, type, obj, old.object(), request);
        if (ctx.dryRun() || obj.equals(old.object())) {
            return new CachedObject(old.key(), obj, old.modRevision());
        }
        if (deletedByUpdate(obj, old.object())) {
            return storage.delete(old.key(), old.modRevision());
        }
        return storage.update(old.key(), obj, old.modRevision());
    }

    /**
     * Whether an update ends an object's deletion, as upstream's store decides: the object was
     * being deleted and has no finalizers left, and either its deletion was not graceful or this
     * update removed its last finalizer. A pod in its grace period is not removed by its kubelet's
     * status writes: the kubelet's own DELETE (grace period 0) ends it, once its containers stopped.
     */
    static boolean deletedByUpdate(ObjectNode obj, ObjectNode old) {
        JsonNode oldMeta = old.path("metadata");
        if (!oldMeta.has("deletionTimestamp") || !obj.path("metadata").path("finalizers").isEmpty()) {
            return false;
        }
        if (obj.path("kind").asText().equals("Namespace") && obj.path("spec").path("finalizers").size() > 0) {
            return false; // a namespace goes once its contents are gone and /finalize cleared spec.finalizers
        }
        boolean lastFinalizerRemoved = !oldMeta.path("finalizers").isEmpty();
        return oldMeta.path("deletionGracePeriodSeconds").asLong(0) == 0 || lastFinalizerRemoved;
    }

    void admit(Admission.Operation op, ResourceType type, ObjectNode obj, ObjectNode old, Admission.Request request) {
        for (Admission a : admission) {
            if (!a.afterValidation()) {
                a.admit(op, type, obj, old, request);
            }
        }
    }

    /** The admission steps that only look at valid objects (quota), in order. */
    private void admitValidated(Admission.Operation op, ResourceType type, ObjectNode obj, ObjectNode old,
                                Admission.Request request) {
        for (Admission a : admission) {
            if (a.afterValidation()) {
                a.admit(op, type, obj, old, request);
            }
        }
    }

    private static void validate(ResourceType type, ObjectNode obj, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw StatusException.invalid(type.group(), type.kind(), obj.path("metadata").path("name").asText(),
                    new ArrayList<>(errors));
        }
    }

    static String key(ResourceType type, ObjectNode obj) {
        JsonNode meta = obj.path("metadata");
        return Keys.key(type, meta.path("namespace").asText(), meta.path("name").asText());
    }
}
