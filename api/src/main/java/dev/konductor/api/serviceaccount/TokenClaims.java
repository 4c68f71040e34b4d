package dev.konductor.api.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * What a service account token says about its holder: a bound token (TokenRequest, projected
 * volumes) or a legacy one (the token of a {@code kubernetes.io/service-account-token} Secret).
 */
public sealed interface TokenClaims permits BoundTokenClaims, LegacyTokenClaims {

    /** The issuer of legacy tokens, whatever the cluster's issuer is. */
    String LEGACY_ISSUER = "kubernetes/serviceaccount";
    /** Upstream's issuer and API audience on kubeadm, minikube and k3s clusters alike. */
    String DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";

    String namespace();

    ObjectRef serviceAccount();

    /** The payload as upstream writes it (keys in its order). */
    ObjectNode toJson();

    /** {@code system:serviceaccount:NS:NAME}, the user the token authenticates as. */
    static String username(String namespace, String name) {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    /**
     * The claims of a payload from {@code issuer} or the legacy issuer; empty for any other issuer
     * (another authenticator's token) or a payload missing what a service account token has.
     */
    static Optional<TokenClaims> fromJson(JsonNode payload, String issuer) {
        String iss = payload.path("iss").asText("");
        if (iss.equals(LEGACY_ISSUER)) {
            return LegacyTokenClaims.fromJson(payload).map(c -> c);
        }
        if (iss.equals(issuer)) {
            return BoundTokenClaims.fromJson(payload).map(c -> c);
        }
        return Optional.empty();
    }
}
