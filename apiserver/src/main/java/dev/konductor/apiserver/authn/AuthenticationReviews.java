package dev.konductor.apiserver.authn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.status.StatusException;
import java.util.ArrayList;
import java.util.List;

/**
 * The authentication.k8s.io reviews, which are answered, never stored: TokenReview (who would
 * this token authenticate as, for these audiences: what webhooks and sidecars ask) and
 * SelfSubjectReview (who am I: {@code kubectl auth whoami}).
 */
public final class AuthenticationReviews {

    public static final String API_VERSION = "authentication.k8s.io/v1";

    private final RequestAuthenticator authenticator;

    public AuthenticationReviews(RequestAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** The TokenReview {@code request} with its status filled in. */
    public ObjectNode tokenReview(ObjectNode request) {
        String token = request.path("spec").path("token").asText("");
        if (token.isEmpty()) {
            throw StatusException.badRequest("token is required for TokenReview in authentication");
        }
        List<String> wanted = new ArrayList<>();
        request.path("spec").path("audiences").forEach(a -> wanted.add(a.asText()));
        if (wanted.isEmpty()) {
            wanted.addAll(authenticator.apiAudiences());
        }
        ObjectNode review = answer(request, "TokenReview");
        ObjectNode status = review.putObject("status");
        switch (authenticator.authenticateToken(token, wanted)) {
            case TokenAuthenticator.Outcome.Authenticated ok -> {
                status.put("authenticated", true);
                status.set("user", ok.user().toJson());
                ok.audiences().forEach(status.putArray("audiences")::add);
            }
            case TokenAuthenticator.Outcome.Rejected rejected -> {
                status.putObject("user");
                status.put("error", "[invalid bearer token, " + rejected.reason() + "]");
            }
            case TokenAuthenticator.Outcome.Unknown unknown -> {
                status.putObject("user");
                status.put("error", "invalid bearer token");
            }
        }
        return review;
    }

    /** The SelfSubjectReview {@code request} answered for the user who sent it. */
    public static ObjectNode selfSubjectReview(ObjectNode request, UserInfo user) {
        ObjectNode review = answer(request, "SelfSubjectReview");
        review.remove("spec");
        review.putObject("status").set("userInfo", user.toJson());
        return review;
    }

    private static ObjectNode answer(ObjectNode request, String kind) {
        ObjectNode review = request.deepCopy();
        review.put("kind", kind);
        review.put("apiVersion", API_VERSION);
        JsonNode metadata = review.path("metadata");
        ObjectNode meta = metadata.isObject() ? (ObjectNode) metadata : review.putObject("metadata");
        if (!meta.has("creationTimestamp")) {
            meta.putNull("creationTimestamp");
        }
        review.remove("status");
        return review;
    }
}
