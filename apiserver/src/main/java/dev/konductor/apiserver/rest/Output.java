package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.PartialObjectMetadata;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.apiserver.watchcache.CachedObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Renders stored objects for the client: converted to the served version, as JSON or, when the
 * Accept header asks for it, as a meta.k8s.io Table or reduced to PartialObjectMetadata.
 */
public final class Output {

    /** Renders Tables; {@code includeObject} is None, Metadata or Object. */
    public interface TableRenderer {
        ObjectNode table(ResourceType type, List<ObjectNode> objects, String resourceVersion, String continueToken,
                         String includeObject);
    }

    private final ApiRules rules;
    private final Responses responses;
    private final TableRenderer tables;

    Output(ApiRules rules, Responses responses, TableRenderer tables) {
        this.rules = rules;
        this.responses = responses;
        this.tables = tables;
    }

    static boolean wantsTable(RequestContext ctx) {
        String accept = ctx.exchange().header("Accept");
        return accept != null && accept.contains("as=Table");
    }

    static boolean wantsMetadataOnly(RequestContext ctx) {
        return PartialObjectMetadata.requested(ctx.exchange().header("Accept"));
    }

    static String includeObject(RequestContext ctx) {
        String v = ctx.exchange().param("includeObject");
        return v == null ? "Metadata" : v;
    }

    /** The stored object as the requested version (never mutates the argument). */
    ObjectNode served(ResourceType type, ObjectNode stored) {
        if (!rules.needsConversion(type, stored)) {
            return stored;
        }
        return rules.fromStorage(type, stored.deepCopy());
    }

    /** As {@link #object(RequestContext, int, ObjectNode)}, answering with the object's own JSON where it fits. */
    void object(RequestContext ctx, int code, CachedObject stored) {
        if (wantsMetadataOnly(ctx) || wantsTable(ctx) || rules.needsConversion(ctx.type(), stored.object())) {
            object(ctx, code, stored.object());
            return;
        }
        ctx.exchange().respond(code, Responses.JSON, stored.json(responses.mapper()));
    }

    void object(RequestContext ctx, int code, ObjectNode stored) {
        if (wantsMetadataOnly(ctx)) {
            responses.json(ctx.exchange(), code, PartialObjectMetadata.of(stored)); // the same in every version
            return;
        }
        ObjectNode served = served(ctx.type(), stored);
        if (wantsTable(ctx)) {
            responses.json(ctx.exchange(), code, tables.table(ctx.type(), List.of(served),
                    served.path("metadata").path("resourceVersion").asText(""), null, includeObject(ctx)));
            return;
        }
        responses.json(ctx.exchange(), code, served);
    }

    /** A list of objects from the cache or the store, reusing each one's JSON where nothing needs converting. */
    void listCached(RequestContext ctx, List<CachedObject> stored, String resourceVersion, String continueToken) {
        if (wantsMetadataOnly(ctx)) {
            respondList(ctx, PartialObjectMetadata.list(List.of(), resourceVersion, continueToken), stored,
                    o -> o.metadataJson(responses.mapper()));
            return;
        }
        if (wantsTable(ctx) || stored.stream().anyMatch(o -> rules.needsConversion(ctx.type(), o.object()))) {
            list(ctx, stored.stream().map(CachedObject::object).toList(), resourceVersion, continueToken);
            return;
        }
        respondList(ctx, listObject(ctx.type(), List.of(), resourceVersion, continueToken), stored,
                o -> o.json(responses.mapper()));
    }

    /**
     * Answers with {@code envelope} (a list whose {@code items} is empty and comes last) around the
     * items' JSON as each object already has it (serialized once, for the watches): a list of ten
     * thousand pods is a copy of their bytes, not a serialization of them.
     */
    private void respondList(RequestContext ctx, ObjectNode envelope, List<CachedObject> items,
                             Function<CachedObject, byte[]> json) {
        byte[] head = responses.bytes(envelope);
        int open = head.length - 2; // the envelope ends with "[]}": the items go between the brackets
        List<byte[]> parts = new ArrayList<>(items.size());
        int size = head.length + Math.max(items.size() - 1, 0); // the commas
        for (CachedObject item : items) {
            byte[] bytes = json.apply(item);
            parts.add(bytes);
            size += bytes.length;
        }
        byte[] body = new byte[size];
        System.arraycopy(head, 0, body, 0, open);
        int at = open;
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                body[at++] = ',';
            }
            System.arraycopy(parts.get(i), 0, body, at, parts.get(i).length);
            at += parts.get(i).length;
        }
        body[at++] = ']';
        body[at++] = '}';
        ctx.exchange().respond(200, Responses.JSON, body);
    }

    /** A list of objects as they are stored: converted to the served version, as a Table or metadata when asked. */
    void list(RequestContext ctx, List<ObjectNode> stored, String resourceVersion, String continueToken) {
        if (wantsMetadataOnly(ctx)) {
            responses.json(ctx.exchange(), 200, PartialObjectMetadata.list(stored, resourceVersion, continueToken));
            return;
        }
        List<ObjectNode> served = stored.stream().map(o -> served(ctx.type(), o)).toList();
        if (wantsTable(ctx)) {
            responses.json(ctx.exchange(), 200, tables.table(ctx.type(), served, resourceVersion, continueToken,
                    includeObject(ctx)));
            return;
        }
        responses.json(ctx.exchange(), 200, listObject(ctx.type(), served, resourceVersion, continueToken));
    }

    ObjectNode table(RequestContext ctx, List<ObjectNode> served, String resourceVersion) {
        return tables.table(ctx.type(), served, resourceVersion, null, includeObject(ctx));
    }

    static ObjectNode listObject(ResourceType type, List<ObjectNode> items, String resourceVersion,
                                 String continueToken) {
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.put("kind", type.listKind());
        list.put("apiVersion", type.apiVersion());
        ObjectNode meta = list.putObject("metadata");
        meta.put("resourceVersion", resourceVersion);
        if (continueToken != null) {
            meta.put("continue", continueToken);
        }
        ArrayNode array = list.putArray("items");
        for (JsonNode item : items) {
            array.add(item);
        }
        return list;
    }

    boolean needsConversion(ResourceType type, ObjectNode stored) {
        return rules.needsConversion(type, stored);
    }

    Responses responses() {
        return responses;
    }
}
