package dev.konductor.apiserver.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.serviceaccount.BoundTokenClaims;
import dev.konductor.api.serviceaccount.JsonWebSignature;
import dev.konductor.api.serviceaccount.ObjectRef;
import dev.konductor.api.serviceaccount.SigningKey;
import dev.konductor.api.status.FieldError;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.authn.ObjectLookup;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST .../serviceaccounts/NAME/token}: issues a bound token for the service account, as
 * upstream's TokenRequest storage does. The lifetime defaults to an hour and must lie between
 * ten minutes and 2^32 seconds; audiences default to the API server's own; a token may be bound
 * to a Pod (which must run as this service account) or a Secret, and then dies with it. The
 * kubelet's projected-volume tokens (3607 s, bound to a pod, for the API) are extended to a year
 * with a {@code warnafter} at the requested lifetime, as upstream does so that a kubelet that
 * falls behind refreshing does not break its pods.
 */
public final class TokenRequests {

    public static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    static final long MIN_EXPIRATION_SECONDS = 600;
    static final long MAX_EXPIRATION_SECONDS = 1L << 32;
    /** What the ServiceAccount admission plugin asks for in projected volumes. */
    public static final int PROJECTED_EXPIRATION_SECONDS = 3607;
    static final long EXTENDED_EXPIRATION_SECONDS = 365L * 24 * 60 * 60;

    private final SigningKey key;
    private final String issuer;
    private final List<String> apiAudiences;
    private final ObjectLookup objects;
    private final Clock clock;

    public TokenRequests(SigningKey key, String issuer, List<String> apiAudiences, ObjectLookup objects, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.apiAudiences = List.copyOf(apiAudiences);
        this.objects = objects;
        this.clock = clock;
    }

    /** The TokenRequest {@code request} for {@code namespace/name}, answered with a signed token. */
    public ObjectNode issue(String namespace, String name, ObjectNode request) {
        checkMetadata(namespace, name, request);
        ObjectNode spec = request.withObject("spec");
        if (!spec.has("expirationSeconds") || spec.get("expirationSeconds").isNull()) {
            spec.put("expirationSeconds", DEFAULT_EXPIRATION_SECONDS);
        }
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        if (audiences.isEmpty()) {
            audiences.addAll(apiAudiences);
            apiAudiences.forEach(spec.putArray("audiences")::add);
        }
        long lifetime = validLifetime(name, spec.path("expirationSeconds"));
        JsonNode account = objects.get("serviceaccounts", namespace, name);
        if (account == null) {
            throw StatusException.notFound("", "serviceaccounts", name);
        }
        Binding binding = binding(namespace, name, spec.path("boundObjectRef"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant warnAfter = null;
        long tokenLifetime = lifetime;
        if (binding.pod() != null && lifetime == PROJECTED_EXPIRATION_SECONDS && apiAudiences.containsAll(audiences)) {
            warnAfter = now.plusSeconds(lifetime);
            tokenLifetime = EXTENDED_EXPIRATION_SECONDS;
        }
        BoundTokenClaims claims = new BoundTokenClaims(issuer, audiences, now, now, now.plusSeconds(tokenLifetime),
                namespace, new ObjectRef(name, uid(account)), binding.pod(), binding.secret(), binding.node(), warnAfter,
                UUID.randomUUID().toString());
        ObjectNode response = request.deepCopy();
        response.put("kind", "TokenRequest");
        response.put("apiVersion", "authentication.k8s.io/v1");
        ObjectNode status = response.putObject("status");
        status.put("token", JsonWebSignature.sign(claims.toJson(), key));
        status.put("expirationTimestamp", now.plusSeconds(lifetime).toString());
        return response;
    }

    private static void checkMetadata(String namespace, String name, ObjectNode request) {
        JsonNode meta = request.path("metadata");
        String bodyName = meta.path("name").asText("");
        String bodyNamespace = meta.path("namespace").asText("");
        if (!bodyName.isEmpty() && !bodyName.equals(name)) {
            throw invalid(name, FieldError.invalid("metadata.name", bodyName,
                    "must match the service account name if specified"));
        }
        if (!bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
            throw invalid(name, FieldError.invalid("metadata.namespace", bodyNamespace,
                    "must match the service account namespace if specified"));
        }
    }

    private static long validLifetime(String name, JsonNode expiration) {
        if (!expiration.canConvertToLong()) {
            throw invalid(name, FieldError.invalid("spec.expirationSeconds", expiration, "must be an integer"));
        }
        long seconds = expiration.asLong();
        if (seconds < MIN_EXPIRATION_SECONDS) {
            throw invalid(name, FieldError.invalid("spec.expirationSeconds", expiration,
                    "may not specify a duration less than 10 minutes"));
        }
        if (seconds > MAX_EXPIRATION_SECONDS) {
            throw invalid(name, FieldError.invalid("spec.expirationSeconds", expiration,
                    "may not specify a duration larger than 2^32 seconds"));
        }
        return seconds;
    }

    /** What a token is bound to: nothing, a pod (and its node, once it has one) or a secret. */
    private record Binding(ObjectRef pod, ObjectRef secret, ObjectRef node) {
    }

    private Binding binding(String namespace, String account, JsonNode ref) {
        if (!ref.isObject()) {
            return new Binding(null, null, null);
        }
        String kind = ref.path("kind").asText("");
        String apiVersion = ref.path("apiVersion").asText("");
        String name = ref.path("name").asText("");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        Binding binding;
        if (group.isEmpty() && kind.equals("Pod")) {
            JsonNode pod = existing("pods", namespace, name);
            if (!account.equals(pod.path("spec").path("serviceAccountName").asText(""))) {
                throw StatusException.badRequest("cannot bind token for serviceaccount \"" + account
                        + "\" to pod running with different serviceaccount name.");
            }
            String nodeName = pod.path("spec").path("nodeName").asText("");
            JsonNode node = nodeName.isEmpty() ? null : objects.get("nodes", null, nodeName);
            binding = new Binding(new ObjectRef(name, uid(pod)), null,
                    node == null ? null : new ObjectRef(nodeName, uid(node)));
        } else if (group.isEmpty() && kind.equals("Secret")) {
            binding = new Binding(null, new ObjectRef(name, uid(existing("secrets", namespace, name))), null);
        } else {
            throw StatusException.badRequest("cannot bind token to object of type " + (apiVersion.isEmpty() ? ""
                    : apiVersion + ", ") + "Kind=" + kind);
        }
        String wantedUid = ref.path("uid").asText("");
        ObjectRef bound = binding.pod() != null ? binding.pod() : binding.secret();
        if (!wantedUid.isEmpty() && !wantedUid.equals(bound.uid())) {
            throw StatusException.conflict("", kind, name, "the UID in the bound object reference (" + wantedUid
                    + ") does not match the UID in record. The object might have been deleted and then recreated");
        }
        return binding;
    }

    private JsonNode existing(String plural, String namespace, String name) {
        JsonNode object = objects.get(plural, namespace, name);
        if (object == null) {
            throw StatusException.notFound("", plural, name);
        }
        return object;
    }

    private static String uid(JsonNode object) {
        return object.path("metadata").path("uid").asText("");
    }

    private static StatusException invalid(String name, FieldError error) {
        return StatusException.invalid("authentication.k8s.io", "TokenRequest", name, List.of(error));
    }
}
