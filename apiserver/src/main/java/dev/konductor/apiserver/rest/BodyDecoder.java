package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.http.HttpExchange;
import java.io.IOException;

/** Turns request bodies (JSON, YAML, Kubernetes protobuf) into JSON trees. */
final class BodyDecoder {

    static final int MAX_BODY = 3 * 1024 * 1024;

    private final ObjectMapper json;
    private final YAMLMapper yaml = new YAMLMapper();
    private final ApiRules rules;

    BodyDecoder(ObjectMapper json, ApiRules rules) {
        this.json = json;
        this.rules = rules;
    }

    /** The media type without parameters, lower case; JSON when absent. */
    static String mediaType(HttpExchange exchange) {
        String contentType = exchange.header("Content-Type");
        if (contentType == null || contentType.isBlank()) {
            return "application/json";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** An object body for create/update. */
    ObjectNode object(HttpExchange exchange) {
        checkSize(exchange);
        String type = mediaType(exchange);
        JsonNode node = switch (type) {
            case "application/json", "application/apply-patch+yaml", "*/*" -> parseJson(exchange.body());
            case "application/yaml", "application/x-yaml", "text/yaml" -> parseYaml(exchange.body());
            case "application/vnd.kubernetes.protobuf" -> rules.decodeProtobuf(exchange.body());
            default -> throw StatusException.unsupportedMediaType(type);
        };
        if (!(node instanceof ObjectNode obj)) {
            throw StatusException.badRequest("the body of the request must be a JSON object");
        }
        return obj;
    }

    /** A patch document (any JSON value for JSON patch). */
    JsonNode patch(HttpExchange exchange, String type) {
        checkSize(exchange);
        if (type.equals("application/apply-patch+yaml")) {
            return parseYamlOrJson(exchange.body());
        }
        return parseJson(exchange.body());
    }

    private void checkSize(HttpExchange exchange) {
        if (exchange.bodyLength() > MAX_BODY) {
            throw StatusException.requestEntityTooLarge("Request entity too large: limit is " + MAX_BODY);
        }
    }

    JsonNode parseJson(byte[] body) {
        if (body.length == 0) {
            throw StatusException.badRequest("the body of the request was empty");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null) {
                throw StatusException.badRequest("the body of the request was empty");
            }
            return node;
        } catch (IOException e) {
            throw StatusException.badRequest("couldn't get version/kind; json parse error: " + firstLine(e.getMessage()));
        }
    }

    private JsonNode parseYaml(byte[] body) {
        try {
            return yaml.readTree(body);
        } catch (IOException e) {
            throw StatusException.badRequest("error converting YAML to JSON: " + firstLine(e.getMessage()));
        }
    }

    private JsonNode parseYamlOrJson(byte[] body) {
        int i = 0;
        while (i < body.length && Character.isWhitespace(body[i])) {
            i++;
        }
        return i < body.length && body[i] == '{' ? parseJson(body) : parseYaml(body);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid body";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
