package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.storage.ObjectStorage;
import dev.konductor.apiserver.watchcache.CachedObject;
import java.util.function.BiFunction;

/**
 * PATCH in its four flavours — JSON patch, merge patch, strategic merge patch and server-side
 * apply — on the main resource or a subresource. The patch applies to the object as the client
 * sees it (the served version); the result then takes the update path.
 */
final class PatchHandler {

    static final String JSON_PATCH = "application/json-patch+json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    static final String APPLY_PATCH = "application/apply-patch+yaml";

    private final ObjectStorage storage;
    private final ApiRules rules;
    private final ObjectWriter writer;
    private final BodyDecoder decoder;
    private final Output output;
    private final ResourceHandler resources;

    PatchHandler(ObjectStorage storage, ApiRules rules, ObjectWriter writer, BodyDecoder decoder, Output output,
                 ResourceHandler resources) {
        this.storage = storage;
        this.rules = rules;
        this.writer = writer;
        this.decoder = decoder;
        this.output = output;
        this.resources = resources;
    }

    /**
     * Patches the main resource ({@code subresource} null) or its status.
     */
    void patch(RequestContext ctx, String subresource) {
        String type = BodyDecoder.mediaType(ctx.exchange());
        JsonNode patch = decoder.patch(ctx.exchange(), type);
        ResourceType rt = ctx.type();
        if (type.equals(APPLY_PATCH)) {
            checkApplyBody(ctx, patch);
            String key = Keys.key(rt, ctx.namespace(), ctx.name());
            if (subresource == null && storage.get(rt, key) == null) {
                applyCreate(ctx, (ObjectNode) patch);
                return;
            }
        }
        BiFunction<ObjectNode, JsonNode, JsonNode> engine = switch (type) {
            case JSON_PATCH -> (live, p) -> rules.jsonPatch(live, p);
            case MERGE_PATCH -> (live, p) -> rules.mergePatch(live, p);
            case STRATEGIC_MERGE_PATCH -> {
                if (rt.modelClass() == null) {
                    // custom resources have no patch strategies to merge lists by
                    throw new StatusException(415, "UnsupportedMediaType", "the body of the request was in an "
                            + "unknown format - accepted media types include: " + JSON_PATCH + ", " + MERGE_PATCH
                            + ", " + APPLY_PATCH, null, null, null, null, null);
                }
                yield (live, p) -> rules.strategicMergePatch(rt, live, p);
            }
            case APPLY_PATCH -> (live, p) -> rules.apply(rt, live, (ObjectNode) p, ctx.fieldManager(),
                    ListOptions.parseBool(ctx.exchange().param("force"), "force"), ObjectLifecycle.now());
            default -> throw StatusException.unsupportedMediaType(type);
        };
        if (type.equals(MERGE_PATCH) || type.equals(STRATEGIC_MERGE_PATCH) || type.equals(APPLY_PATCH)) {
            if (!patch.isObject()) {
                throw StatusException.badRequest("the patch must be a JSON object");
            }
        }
        Long precondition = patch.isObject() ? ResourceHandler.resourceVersionOf(patch) : null;
        CachedObject result = resources.writeLoop(ctx, precondition, current -> {
            ObjectNode live = output.served(rt, current.object()).deepCopy();
            JsonNode patched = engine.apply(live, patch);
            if (!(patched instanceof ObjectNode obj)) {
                throw StatusException.badRequest("the patch produced something that is not an object");
            }
            ObjectWriter.checkTypeMeta(rt, obj);
            keepIdentity(ctx, obj, current.object());
            writer.checkUnknownFields(ctx, obj, "patch");
            ObjectNode stored = writer.toStorage(rt, obj);
            if ("status".equals(subresource)) {
                writer.lifecycle().prepareForStatusUpdate(stored, current.object());
            } else if (ObjectWriter.EPHEMERAL_CONTAINERS.equals(subresource)) {
                writer.lifecycle().prepareForEphemeralContainersUpdate(stored, current.object());
            } else {
                writer.lifecycle().prepareForUpdate(rt, stored, current.object());
            }
            return stored;
        }, subresource);
        output.object(ctx, 200, result);
    }

    private void applyCreate(RequestContext ctx, ObjectNode applied) {
        ObjectNode obj = rules.apply(ctx.type(), null, applied, ctx.fieldManager(),
                ListOptions.parseBool(ctx.exchange().param("force"), "force"), ObjectLifecycle.now());
        ObjectWriter.checkTypeMeta(ctx.type(), obj);
        ObjectNode meta = obj.withObject("metadata");
        meta.put("name", ctx.name());
        if (ctx.type().namespaced()) {
            meta.put("namespace", ctx.info().namespace());
        }
        writer.checkUnknownFields(ctx, obj, "create");
        ObjectNode stored = writer.toStorage(ctx.type(), obj);
        CachedObject created = writer.create(ctx, stored);
        output.object(ctx, 201, created);
    }

    private static void checkApplyBody(RequestContext ctx, JsonNode patch) {
        if (!patch.isObject()) {
            throw StatusException.badRequest("the apply configuration must be an object");
        }
        String name = patch.path("metadata").path("name").asText("");
        if (!name.isEmpty() && !name.equals(ctx.name())) {
            throw StatusException.badRequest("the name of the object (" + name + ") does not match the name on the URL ("
                    + ctx.name() + ")");
        }
        if (!patch.has("apiVersion") || !patch.has("kind")) {
            throw StatusException.badRequest("apiVersion and kind must be set in the apply configuration");
        }
    }

    /** A patch may not move an object: name and namespace stay the URL's. */
    private static void keepIdentity(RequestContext ctx, ObjectNode obj, ObjectNode current) {
        ObjectNode meta = obj.withObject("metadata");
        String name = meta.path("name").asText(ctx.name());
        if (!name.equals(ctx.name())) {
            throw StatusException.badRequest("the name of the object (" + name + ") does not match the name on the URL ("
                    + ctx.name() + ")");
        }
        meta.put("name", ctx.name());
        if (ctx.type().namespaced()) {
            meta.put("namespace", ctx.info().namespace());
        }
    }
}
