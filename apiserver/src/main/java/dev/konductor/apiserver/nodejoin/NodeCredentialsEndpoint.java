package dev.konductor.apiserver.nodejoin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.http.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A joining node's client certificates and keys ({@link NodeCredentialIssuer}), in PEM:
 * {@code POST /v1-konductor/client-kubelet} with {@code {"nodeName": "n1"}}, and
 * {@code POST /v1-konductor/client-kube-proxy}. Authorized like any non-resource URL (verb
 * {@code post}); the bootstrap policy lets {@code system:bootstrappers}, who hold the node
 * token, call them, as upstream auto-approves their node client CSRs.
 */
public final class NodeCredentialsEndpoint {

    public static final String KUBELET_PATH = "/v1-konductor/client-kubelet";
    public static final String KUBE_PROXY_PATH = "/v1-konductor/client-kube-proxy";
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int MAX_BODY = 4096;

    private final NodeCredentialIssuer issuer;
    private final ObjectMapper mapper;

    public NodeCredentialsEndpoint(NodeCredentialIssuer issuer, ObjectMapper mapper) {
        this.issuer = issuer;
        this.mapper = mapper;
    }

    public static boolean handles(String path) {
        return path.equals(KUBELET_PATH) || path.equals(KUBE_PROXY_PATH);
    }

    public void handle(HttpExchange exchange) {
        if (!exchange.method().equals("POST")) {
            throw StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        String pem = exchange.path().equals(KUBELET_PATH) ? issuer.kubelet(nodeName(exchange)) : issuer.kubeProxy();
        exchange.respond(200, "application/x-pem-file", pem.getBytes(StandardCharsets.US_ASCII));
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
