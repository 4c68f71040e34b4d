package dev.konductor.apiserver.nodejoin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.http.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * {@code POST /v1-konductor/client-kubelet} with {@code {"nodeName": "n1"}}: the joining node's
 * client certificate and key ({@link NodeCredentialIssuer}), in PEM. Authorized like any
 * non-resource URL (verb {@code post}); the bootstrap policy lets {@code system:bootstrappers},
 * who hold the node token, call it, as upstream auto-approves their node client CSRs.
 */
public final class NodeCredentialsEndpoint {

    public static final String PATH = "/v1-konductor/client-kubelet";
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int MAX_BODY = 4096;

    private final NodeCredentialIssuer issuer;
    private final ObjectMapper mapper;

    public NodeCredentialsEndpoint(NodeCredentialIssuer issuer, ObjectMapper mapper) {
        this.issuer = issuer;
        this.mapper = mapper;
    }

    public void handle(HttpExchange exchange) {
        if (!exchange.method().equals("POST")) {
            throw StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        String nodeName = nodeName(exchange);
        exchange.respond(200, "application/x-pem-file", issuer.issue(nodeName).getBytes(StandardCharsets.US_ASCII));
    }

    private String nodeName(HttpExchange exchange) {
        JsonNode body;
        try {
            byte[] bytes = exchange.body();
            if (bytes.length > MAX_BODY) {
                throw StatusException.badRequest("the request body is larger than " + MAX_BODY + " bytes");
            }
            body = mapper.readTree(bytes);
        } catch (IOException e) {
            throw StatusException.badRequest("the request body is not JSON: " + e.getMessage());
        }
        String name = body == null ? "" : body.path("nodeName").asText("");
        if (name.isEmpty() || name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw StatusException.badRequest("nodeName must be a lowercase RFC 1123 subdomain, got \"" + name + "\"");
        }
        return name;
    }
}
