package dev.konductor.apiserver.authn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.api.serviceaccount.BoundTokenClaims;
import dev.konductor.api.serviceaccount.LegacyTokenClaims;
import dev.konductor.api.serviceaccount.ObjectRef;
import dev.konductor.api.serviceaccount.TokenClaims;
import dev.konductor.api.serviceaccount.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Authenticates service account tokens: a verified signature and lifetime
 * ({@link TokenVerifier}), then, as upstream's validator, the objects the token names must still
 * be there, with the uids it names: the service account, and the Pod or Secret a bound token
 * depends on (an object being deleted counts as gone a minute after its deletion started). A
 * legacy token must still be the one stored in its Secret.
 */
public final class ServiceAccountTokenAuthenticator implements TokenAuthenticator {

    public static final String SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";
    static final String EXTRA_PREFIX = "authentication.kubernetes.io/";
    private static final Duration DELETION_GRACE = Duration.ofMinutes(1);

    private final TokenVerifier verifier;
    private final ObjectLookup objects;
    private final Clock clock;

    public ServiceAccountTokenAuthenticator(TokenVerifier verifier, ObjectLookup objects, Clock clock) {
        this.verifier = verifier;
        this.objects = objects;
        this.clock = clock;
    }

    @Override
    public Outcome authenticate(String token, List<String> audiences) {
        return switch (verifier.verify(token, audiences)) {
            case TokenVerifier.Verdict.NotOurs notOurs -> new Outcome.Unknown();
            case TokenVerifier.Verdict.Invalid invalid -> new Outcome.Rejected(invalid.reason());
            case TokenVerifier.Verdict.Verified verified -> {
                String problem = switch (verified.claims()) {
                    case BoundTokenClaims bound -> checkBound(bound);
                    case LegacyTokenClaims legacy -> checkLegacy(legacy, token);
                };
                yield problem == null
                        ? new Outcome.Authenticated(user(verified.claims()), verified.audiences())
                        : new Outcome.Rejected(problem);
            }
        };
    }

    private String checkBound(BoundTokenClaims claims) {
        String namespace = claims.namespace();
        String problem = checkObject("ServiceAccount",
                objects.get("serviceaccounts", namespace, claims.serviceAccount().name()), namespace,
                claims.serviceAccount());
        if (problem == null && claims.pod() != null) {
            problem = checkObject("Pod", objects.get("pods", namespace, claims.pod().name()), namespace, claims.pod());
        }
        if (problem == null && claims.secret() != null) {
            problem = checkObject("Secret", objects.get("secrets", namespace, claims.secret().name()), namespace,
                    claims.secret());
        }
        return problem;
    }

    private String checkLegacy(LegacyTokenClaims claims, String token) {
        String namespace = claims.namespace();
        JsonNode secret = objects.get("secrets", namespace, claims.secretName());
        if (secret == null) {
            return "secret " + namespace + "/" + claims.secretName() + " not found";
        }
        JsonNode stored = secret.path("data").path("token");
        byte[] storedToken = stored.isTextual() ? decode(stored.asText()) : new byte[0];
        if (!MessageDigest.isEqual(storedToken, token.getBytes(StandardCharsets.UTF_8))
                || deletedLongAgo(secret)) {
            return "Token has been invalidated";
        }
        return checkObject("ServiceAccount", objects.get("serviceaccounts", namespace, claims.serviceAccount().name()),
                namespace, claims.serviceAccount());
    }

    /** Upstream's wording for an object that is gone, replaced, or long being deleted. */
    private String checkObject(String kind, JsonNode object, String namespace, ObjectRef claimed) {
        String name = namespace + "/" + claimed.name();
        if (object == null) {
            return kind + " " + name + " not found";
        }
        String uid = object.path("metadata").path("uid").asText("");
        if (!uid.equals(claimed.uid())) {
            return kind + " UID (" + uid + ") does not match claim (" + claimed.uid() + ")";
        }
        if (deletedLongAgo(object)) {
            return kind + " " + name + " has been deleted";
        }
        return null;
    }

    private boolean deletedLongAgo(JsonNode object) {
        String deletion = object.path("metadata").path("deletionTimestamp").asText("");
        return !deletion.isEmpty() && Instant.parse(deletion).isBefore(clock.instant().minus(DELETION_GRACE));
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /** {@code system:serviceaccount:NS:NAME} in the service account groups, with a bound token's pod. */
    static UserInfo user(TokenClaims claims) {
        String namespace = claims.namespace();
        List<String> groups = new ArrayList<>(List.of(SERVICE_ACCOUNTS_GROUP, SERVICE_ACCOUNTS_GROUP + ":" + namespace,
                UserInfo.AUTHENTICATED));
        Map<String, List<String>> extra = new LinkedHashMap<>();
        if (claims instanceof BoundTokenClaims bound) {
            if (bound.pod() != null) {
                extra.put(EXTRA_PREFIX + "pod-name", List.of(bound.pod().name()));
                extra.put(EXTRA_PREFIX + "pod-uid", List.of(bound.pod().uid()));
            }
            if (bound.node() != null) {
                extra.put(EXTRA_PREFIX + "node-name", List.of(bound.node().name()));
                extra.put(EXTRA_PREFIX + "node-uid", List.of(bound.node().uid()));
            }
            if (!bound.id().isEmpty()) {
                extra.put(EXTRA_PREFIX + "credential-id", List.of("JTI=" + bound.id()));
            }
        }
        return new UserInfo(TokenClaims.username(namespace, claims.serviceAccount().name()),
                claims.serviceAccount().uid(), groups, extra);
    }
}
