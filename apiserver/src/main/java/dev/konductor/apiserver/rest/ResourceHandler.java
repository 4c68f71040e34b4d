package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.admission.Admission;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.storage.ObjectStorage;
import dev.konductor.apiserver.watchcache.CachedObject;
import java.util.ArrayList;
import java.util.List;

/** get, create, update, patch, delete and deletecollection of a resource's objects. */
final class ResourceHandler {

    private final ObjectStorage storage;
    private final ApiRules rules;
    private final ObjectWriter writer;
    private final BodyDecoder decoder;
    private final Output output;
    private final Deleter deleter;

    ResourceHandler(ObjectStorage storage, ApiRules rules, ObjectWriter writer, BodyDecoder decoder, Output output,
                    Deleter deleter) {
        this.storage = storage;
        this.rules = rules;
        this.writer = writer;
        this.decoder = decoder;
        this.output = output;
        this.deleter = deleter;
    }

    void get(RequestContext ctx) {
        CachedObject obj = existing(ctx);
        output.object(ctx, 200, obj);
    }

    CachedObject existing(RequestContext ctx) {
        CachedObject obj = storage.get(ctx.type(), Keys.key(ctx.type(), ctx.namespace(), ctx.name()));
        if (obj == null) {
            throw StatusException.notFound(ctx.type().group(), ctx.type().plural(), ctx.name());
        }
        return obj;
    }

    void create(RequestContext ctx) {
        ObjectNode obj = decoder.object(ctx.exchange());
        ObjectWriter.checkTypeMeta(ctx.type(), obj);
        placeInNamespace(ctx, obj);
        writer.checkUnknownFields(ctx, obj, "create");
        ObjectNode stored = writer.toStorage(ctx.type(), obj);
        CachedObject created = writer.create(ctx, stored);
        output.object(ctx, 201, created);
    }

    /** The namespace comes from the URL; a different one in the body is refused, as upstream. */
    private static void placeInNamespace(RequestContext ctx, ObjectNode obj) {
        ObjectNode meta = obj.withObject("metadata");
        if (!ctx.type().namespaced()) {
            meta.remove("namespace");
            return;
        }
        String bodyNamespace = meta.path("namespace").asText("");
        if (!bodyNamespace.isEmpty() && !bodyNamespace.equals(ctx.info().namespace())) {
            throw StatusException.badRequest("the namespace of the provided object does not match the namespace "
                    + "sent on the request");
        }
        meta.put("namespace", ctx.info().namespace());
    }

    void update(RequestContext ctx) {
        ObjectNode body = decoder.object(ctx.exchange());
        ObjectWriter.checkTypeMeta(ctx.type(), body);
        placeInNamespace(ctx, body);
        String bodyName = body.path("metadata").path("name").asText("");
        if (!bodyName.equals(ctx.name())) {
            throw StatusException.badRequest("the name of the object (" + bodyName + ") does not match the name on "
                    + "the URL (" + ctx.name() + ")");
        }
        writer.checkUnknownFields(ctx, body, "update");
        Long precondition = resourceVersionOf(body);
        CachedObject result = writeLoop(ctx, precondition, old -> {
            ObjectNode stored = writer.toStorage(ctx.type(), body.deepCopy());
            writer.lifecycle().prepareForUpdate(ctx.type(), stored, old.object());
            return stored;
        }, null);
        output.object(ctx, 200, result);
    }

    static Long resourceVersionOf(JsonNode obj) {
        String rv = obj.path("metadata").path("resourceVersion").asText("");
        if (rv.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            throw StatusException.badRequest("invalid resourceVersion: " + rv);
        }
    }

    /** A function from the current object to the new storage-version object. */
    interface Mutation {
        ObjectNode apply(CachedObject current);
    }

    /**
     * Reads, mutates and writes until the write wins (or, with a precondition, fails with 409),
     * as upstream's GuaranteedUpdate.
     */
    CachedObject writeLoop(RequestContext ctx, Long precondition, Mutation mutation, String subresource) {
        String key = Keys.key(ctx.type(), ctx.namespace(), ctx.name());
        for (int attempt = 0; attempt < 50; attempt++) {
            CachedObject current = existing(ctx);
            if (precondition != null && precondition != current.modRevision()) {
                throw ObjectStorage.conflict(ctx.type(), ctx.name());
            }
            ObjectNode next = mutation.apply(current);
            CachedObject written = writer.update(ctx, next, current, subresource);
            if (written != null) {
                return written;
            }
            if (precondition != null) {
                throw ObjectStorage.conflict(ctx.type(), ctx.name());
            }
            storage.cache().waitFresh(1000);
        }
        throw ObjectStorage.conflict(ctx.type(), ctx.name());
    }

    void delete(RequestContext ctx) {
        JsonNode options = deleteOptions(ctx);
        CachedObject result = deleter.delete(ctx, options);
        output.object(ctx, 200, result);
    }

    void deleteCollection(RequestContext ctx, List<CachedObject> matching) {
        JsonNode options = deleteOptions(ctx);
        List<ObjectNode> deleted = new ArrayList<>();
        for (CachedObject o : matching) {
            RequestInfo info = new RequestInfo(ctx.info().group(), ctx.info().version(), o.namespace().isEmpty() ? null
                    : o.namespace(), ctx.info().resource(), o.name(), null);
            try {
                deleted.add(deleter.delete(ctx.withInfo(info, ctx.type()), options).object());
            } catch (StatusException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
        output.list(ctx, deleted, Long.toString(storage.cache().revision()), null);
    }

    private JsonNode deleteOptions(RequestContext ctx) {
        if (ctx.exchange().bodyLength() == 0) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        JsonNode options = decoder.parseJson(ctx.exchange().body());
        if (!options.isObject()) {
            throw StatusException.badRequest("DeleteOptions must be a JSON object");
        }
        return options;
    }

    void admitDelete(RequestContext ctx, CachedObject obj) {
        writer.admit(Admission.Operation.DELETE, ctx.type(), obj.object(), obj.object(), ctx.admissionRequest(null));
    }
}
