package dev.konductor.api.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A bound token, as TokenRequest issues them: audiences, a lifetime, and optionally the Pod or
 * Secret whose existence it depends on (with the pod's node). The {@code kubernetes.io} claim
 * carries the private part, in upstream's layout.
 *
 * @param pod       the pod the token is bound to, or null
 * @param secret    the secret the token is bound to, or null
 * @param node      the node of the bound pod (when it has one), or null
 * @param warnAfter for the extended tokens of projected volumes: when the kubelet should
 *                  already have refreshed it (upstream's {@code warnafter}); null otherwise
 * @param id        the token's unique id ({@code jti})
 */
public record BoundTokenClaims(String issuer, List<String> audiences, Instant issuedAt, Instant notBefore,
                               Instant expiry, String namespace, ObjectRef serviceAccount, ObjectRef pod,
                               ObjectRef secret, ObjectRef node, Instant warnAfter, String id)
        implements TokenClaims {

    private static final String PRIVATE = "kubernetes.io";

    public BoundTokenClaims {
        audiences = List.copyOf(audiences);
        id = id == null ? "" : id;
    }

    @Override
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode json = f.objectNode();
        audiences.forEach(json.putArray("aud")::add);
        json.put("exp", expiry.getEpochSecond());
        json.put("iat", issuedAt.getEpochSecond());
        json.put("iss", issuer);
        if (!id.isEmpty()) {
            json.put("jti", id);
        }
        ObjectNode kubernetes = json.putObject(PRIVATE);
        kubernetes.put("namespace", namespace);
        putRef(kubernetes, "node", node);
        putRef(kubernetes, "pod", pod);
        putRef(kubernetes, "secret", secret);
        putRef(kubernetes, "serviceaccount", serviceAccount);
        if (warnAfter != null) {
            kubernetes.put("warnafter", warnAfter.getEpochSecond());
        }
        json.put("nbf", notBefore.getEpochSecond());
        json.put("sub", TokenClaims.username(namespace, serviceAccount.name()));
        return json;
    }

    private static void putRef(ObjectNode parent, String field, ObjectRef ref) {
        if (ref != null) {
            ObjectNode node = parent.putObject(field);
            node.put("name", ref.name());
            node.put("uid", ref.uid());
        }
    }

    static Optional<BoundTokenClaims> fromJson(JsonNode payload) {
        JsonNode kubernetes = payload.path(PRIVATE);
        String namespace = kubernetes.path("namespace").asText("");
        ObjectRef account = ref(kubernetes.path("serviceaccount"));
        if (namespace.isEmpty() || account == null || !payload.path("exp").canConvertToLong()
                || !payload.path("sub").asText("").equals(TokenClaims.username(namespace, account.name()))) {
            return Optional.empty();
        }
        List<String> audiences = new ArrayList<>();
        JsonNode aud = payload.path("aud");
        if (aud.isTextual()) {
            audiences.add(aud.asText());
        } else {
            aud.forEach(a -> audiences.add(a.asText()));
        }
        JsonNode warnAfter = kubernetes.path("warnafter");
        return Optional.of(new BoundTokenClaims(payload.path("iss").asText(), audiences, seconds(payload.path("iat")),
                seconds(payload.path("nbf")), seconds(payload.path("exp")), namespace, account,
                ref(kubernetes.path("pod")), ref(kubernetes.path("secret")), ref(kubernetes.path("node")),
                warnAfter.canConvertToLong() ? Instant.ofEpochSecond(warnAfter.asLong()) : null,
                payload.path("jti").asText("")));
    }

    private static ObjectRef ref(JsonNode node) {
        String name = node.path("name").asText("");
        return name.isEmpty() ? null : new ObjectRef(name, node.path("uid").asText(""));
    }

    /** A NumericDate; absent reads as the epoch, which no time check mistakes for recent. */
    private static Instant seconds(JsonNode node) {
        return Instant.ofEpochSecond(node.asLong(0));
    }
}
