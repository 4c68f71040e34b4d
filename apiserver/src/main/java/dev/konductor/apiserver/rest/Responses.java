package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.http.HttpExchange;
import java.util.Map;

/** Writes JSON bodies and Status errors. */
public final class Responses {

    public static final String JSON = "application/json";

    private final ObjectMapper mapper;

    public Responses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public void json(HttpExchange exchange, int status, JsonNode body) {
        exchange.respond(status, JSON, bytes(body));
    }

    public void json(HttpExchange exchange, int status, String contentType, JsonNode body) {
        exchange.respond(status, contentType, bytes(body));
    }

    public void error(HttpExchange exchange, StatusException e) {
        Map<String, String> headers = e.retryAfterSeconds() == null ? Map.of()
                : Map.of("Retry-After", Integer.toString(e.retryAfterSeconds()));
        exchange.respond(e.code(), JSON, bytes(e.toStatus()), headers);
    }

    public byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A success Status, as DELETE of a collection or eviction answers. */
    public static com.fasterxml.jackson.databind.node.ObjectNode success(int code) {
        var status = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        status.put("code", code);
        return status;
    }
}
