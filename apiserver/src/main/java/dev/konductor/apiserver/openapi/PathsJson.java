package dev.konductor.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.apiserver.openapi.ResourcePaths.Body;
import dev.konductor.apiserver.openapi.ResourcePaths.Operation;
import dev.konductor.apiserver.openapi.ResourcePaths.Parameter;
import dev.konductor.apiserver.openapi.ResourcePaths.PathItem;

import java.util.List;
import java.util.Map;

/** Renders {@link ResourcePaths} as the {@code paths} of an OpenAPI 3 or Swagger 2 document. */
final class PathsJson {

    static final List<String> PATCH_TYPES = List.of(
            "application/apply-patch+yaml",
            "application/json-patch+json",
            "application/merge-patch+json",
            "application/strategic-merge-patch+json");
    private static final List<String> CUSTOM_PATCH_TYPES = List.of(
            "application/apply-patch+yaml",
            "application/json-patch+json",
            "application/merge-patch+json");
    private static final List<String> RESPONSE_TYPES = List.of(
            "application/json", "application/yaml", "application/vnd.kubernetes.protobuf");
    private static final List<String> LIST_RESPONSE_TYPES = List.of(
            "application/json", "application/yaml", "application/vnd.kubernetes.protobuf",
            "application/json;stream=watch", "application/vnd.kubernetes.protobuf;stream=watch");
    private static final Map<Integer, String> STATUS_TEXT = Map.of(
            200, "OK", 201, "Created", 202, "Accepted", 401, "Unauthorized");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Dialect dialect;
    private final SchemaJson schemas;

    PathsJson(Dialect dialect, SchemaJson schemas) {
        this.dialect = dialect;
        this.schemas = schemas;
    }

    /** Adds the paths to {@code paths}, tagging operations with the group/version's tag. */
    void add(ObjectNode paths, List<PathItem> items, String tag) {
        for (PathItem item : items) {
            ObjectNode path = paths.putObject(item.path());
            for (Operation operation : item.operations()) {
                path.set(operation.method(), operation(operation, tag));
            }
            path.set("parameters", parameters(item.parameters()));
        }
    }

    private ObjectNode operation(Operation op, String tag) {
        ObjectNode node = NODES.objectNode();
        node.put("description", op.description());
        node.put("operationId", op.operationId());
        if (dialect == Dialect.V2) {
            consumes(node, op.body());
            strings(node.putArray("produces"), op.action().equals("list") ? LIST_RESPONSE_TYPES : RESPONSE_TYPES);
            node.putArray("schemes").add("https");
        }
        ArrayNode parameters = parameters(op.parameters());
        if (dialect == Dialect.V2 && op.body() != Body.NONE) {
            ObjectNode body = parameters.insertObject(0);
            body.put("in", "body");
            body.put("name", "body");
            body.put("required", op.body() != Body.DELETE_OPTIONS);
            body.set("schema", bodySchema(op));
        }
        if (!parameters.isEmpty()) {
            node.set("parameters", parameters);
        }
        if (dialect == Dialect.V3 && op.body() != Body.NONE) {
            node.set("requestBody", requestBody(op));
        }
        node.set("responses", responses(op));
        node.putArray("tags").add(tag);
        node.put("x-kubernetes-action", op.action());
        node.set("x-kubernetes-group-version-kind", SchemaJson.gvk(op.gvk()));
        return node;
    }

    private ObjectNode bodySchema(Operation op) {
        return op.body().isPatch() ? schemas.ref(SchemaJson.PATCH) : schemas.ref(op.bodyType());
    }

    private static List<String> patchTypes(Body body) {
        return body == Body.CUSTOM_PATCH ? CUSTOM_PATCH_TYPES : PATCH_TYPES;
    }

    private static void consumes(ObjectNode node, Body body) {
        ArrayNode consumes = node.putArray("consumes");
        if (body.isPatch()) {
            strings(consumes, patchTypes(body));
        } else {
            consumes.add("*/*");
        }
    }

    private ObjectNode requestBody(Operation op) {
        ObjectNode requestBody = NODES.objectNode();
        ObjectNode content = requestBody.putObject("content");
        List<String> types = op.body().isPatch() ? patchTypes(op.body()) : List.of("*/*");
        for (String type : types) {
            content.putObject(type).set("schema", bodySchema(op));
        }
        requestBody.put("required", op.body() != Body.DELETE_OPTIONS);
        return requestBody;
    }

    private ObjectNode responses(Operation op) {
        ObjectNode responses = NODES.objectNode();
        List<String> types = op.action().equals("list") ? LIST_RESPONSE_TYPES : RESPONSE_TYPES;
        for (int code : op.codes()) {
            ObjectNode response = responses.putObject(String.valueOf(code));
            if (dialect == Dialect.V3) {
                ObjectNode content = response.putObject("content");
                for (String type : types) {
                    content.putObject(type).set("schema", schemas.ref(op.responseType()));
                }
                response.put("description", STATUS_TEXT.get(code));
            } else {
                response.put("description", STATUS_TEXT.get(code));
                response.set("schema", schemas.ref(op.responseType()));
            }
        }
        responses.putObject("401").put("description", STATUS_TEXT.get(401));
        return responses;
    }

    private ArrayNode parameters(List<Parameter> parameters) {
        ArrayNode out = NODES.arrayNode();
        for (Parameter parameter : parameters) {
            ObjectNode node = out.addObject();
            node.put("description", parameter.description());
            node.put("in", parameter.in());
            node.put("name", parameter.name());
            if (parameter.required()) {
                node.put("required", true);
            }
            // upstream marks every non-body parameter uniqueItems; kept for a byte-alike shape
            if (dialect == Dialect.V3) {
                node.putObject("schema").put("type", parameter.type()).put("uniqueItems", true);
            } else {
                node.put("type", parameter.type());
                node.put("uniqueItems", true);
            }
        }
        return out;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
