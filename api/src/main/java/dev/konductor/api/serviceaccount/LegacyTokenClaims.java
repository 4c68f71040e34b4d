package dev.konductor.api.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A legacy token, written into a {@code kubernetes.io/service-account-token} Secret by the token
 * controller: no audience and no expiry; it is valid while its Secret (holding exactly this
 * token) and its service account exist.
 */
public record LegacyTokenClaims(String namespace, ObjectRef serviceAccount, String secretName)
        implements TokenClaims {

    private static final String PREFIX = "kubernetes.io/serviceaccount/";

    @Override
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("iss", LEGACY_ISSUER);
        json.put(PREFIX + "namespace", namespace);
        json.put(PREFIX + "secret.name", secretName);
        json.put(PREFIX + "service-account.name", serviceAccount.name());
        json.put(PREFIX + "service-account.uid", serviceAccount.uid());
        json.put("sub", TokenClaims.username(namespace, serviceAccount.name()));
        return json;
    }

    static Optional<LegacyTokenClaims> fromJson(JsonNode payload) {
        String namespace = payload.path(PREFIX + "namespace").asText("");
        String name = payload.path(PREFIX + "service-account.name").asText("");
        String uid = payload.path(PREFIX + "service-account.uid").asText("");
        String secret = payload.path(PREFIX + "secret.name").asText("");
        if (namespace.isEmpty() || name.isEmpty() || uid.isEmpty() || secret.isEmpty()
                || !payload.path("sub").asText("").equals(TokenClaims.username(namespace, name))) {
            return Optional.empty();
        }
        return Optional.of(new LegacyTokenClaims(namespace, new ObjectRef(name, uid), secret));
    }
}
