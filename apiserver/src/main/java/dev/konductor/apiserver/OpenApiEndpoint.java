package dev.konductor.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.apiserver.http.HttpExchange;
import dev.konductor.apiserver.openapi.OpenApi;
import dev.konductor.apiserver.rest.ApiRouter;
import java.util.Optional;

/**
 * Serves {@code /openapi/v3}, {@code /openapi/v3/<group-version>} and {@code /openapi/v2}
 * (JSON, or gnostic protobuf when asked, as kubectl 1.27/1.28 do).
 */
final class OpenApiEndpoint implements ApiRouter.OpenApiEndpoint {

    /** Dotted, not the "@" form kubectl asks with: kubectl 1.28 cannot parse the "@" form back. */
    private static final String V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private final OpenApi openApi;
    private final ObjectMapper mapper;

    OpenApiEndpoint(OpenApi openApi, ObjectMapper mapper) {
        this.openApi = openApi;
        this.mapper = mapper;
    }

    @Override
    public boolean serve(HttpExchange exchange) {
        String path = exchange.path();
        if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
            return json(exchange, openApi.v3Root());
        }
        if (path.startsWith("/openapi/v3/")) {
            String[] gv = groupVersion(path.substring("/openapi/v3/".length()));
            if (gv == null) {
                return false;
            }
            Optional<JsonNode> doc = openApi.v3GroupVersion(gv[0], gv[1]);
            return doc.isPresent() && json(exchange, doc.get());
        }
        if (path.equals("/openapi/v2") || path.equals("/swagger-2.0.0.pb-v1") || path.equals("/swagger.json")) {
            String accept = exchange.header("Accept");
            if (path.equals("/swagger-2.0.0.pb-v1") || (accept != null && accept.contains("protobuf"))) {
                exchange.respond(200, V2_PROTOBUF, openApi.v2Protobuf());
                return true;
            }
            return json(exchange, openApi.v2Json());
        }
        return false;
    }

    /** {@code api/v1} → ["", "v1"]; {@code apis/apps/v1} → ["apps", "v1"]. */
    private static String[] groupVersion(String rest) {
        String[] parts = rest.split("/");
        if (parts.length == 2 && parts[0].equals("api")) {
            return new String[] {"", parts[1]};
        }
        if (parts.length == 3 && parts[0].equals("apis")) {
            return new String[] {parts[1], parts[2]};
        }
        return null;
    }

    private boolean json(HttpExchange exchange, JsonNode body) {
        try {
            exchange.respond(200, "application/json", mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return true;
    }
}
