package dev.konductor.kubelet.token;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service account tokens for projected volumes, bound to their pod, as upstream's token manager
 * keeps them: one per (pod, service account, audience, expiration), requested through
 * TokenRequest and requested again once 80% of its life has passed (or 24 hours, for long-lived
 * ones), with up to 10 s of jitter so many pods do not ask at once. When a refresh fails the
 * current token is kept while it is still valid.
 */
public final class TokenManager {

    private static final Logger log = LoggerFactory.getLogger(TokenManager.class);
    static final Duration MAX_TTL = Duration.ofHours(24);
    static final Duration MAX_JITTER = Duration.ofSeconds(10);

    private record Key(String podUid, String namespace, String serviceAccount, String audience, long expirationSeconds) {
    }

    /** A token and what the server granted: its expiry and lifetime. */
    record Issued(String token, Instant expiresAt, long lifetimeSeconds) {
    }

    private final TokenRequester requester;
    private final Clock clock;
    private final Map<Key, Issued> tokens = new ConcurrentHashMap<>();

    public TokenManager(TokenRequester requester, Clock clock) {
        this.requester = requester;
        this.clock = clock;
    }

    /**
     * A valid token of the pod's service account for {@code audience} (empty: the API server's
     * own), bound to the pod; a failure says {@code failed to fetch token: ...}.
     */
    public String token(Pod pod, String audience, long expirationSeconds) throws TokenRequester.Failed {
        String namespace = pod.getMetadata().getNamespace();
        String serviceAccount = pod.getSpec().getServiceAccountName() == null || pod.getSpec().getServiceAccountName().isEmpty()
                ? "default" : pod.getSpec().getServiceAccountName();
        String aud = audience == null ? "" : audience;
        Key key = new Key(pod.getMetadata().getUid(), namespace, serviceAccount, aud, expirationSeconds);
        Issued current = tokens.get(key);
        Instant now = clock.instant();
        Duration jitter = Duration.ofMillis(ThreadLocalRandom.current().nextLong(MAX_JITTER.toMillis() + 1));
        if (current != null && !needsRefresh(current, now, jitter)) {
            return current.token();
        }
        try {
            TokenRequest answer = requester.request(namespace, serviceAccount, request(pod, aud, expirationSeconds));
            Issued issued = issued(answer, expirationSeconds, now);
            tokens.put(key, issued);
            return issued.token();
        } catch (TokenRequester.Failed e) {
            if (current != null && now.isBefore(current.expiresAt())) {
                log.warn("cannot refresh the service account token, keeping the current one pod={}/{} until={}: {}",
                        namespace, pod.getMetadata().getName(), current.expiresAt(), e.getMessage());
                return current.token();
            }
            throw new TokenRequester.Failed("failed to fetch token: " + e.getMessage());
        }
    }

    /** Forgets the tokens of a pod that is gone. */
    public void forget(String podUid) {
        tokens.keySet().removeIf(k -> k.podUid().equals(podUid));
    }

    /** Upstream's rule: refresh past 24 hours of age, or within 20% of the lifetime (plus jitter) of the expiry. */
    static boolean needsRefresh(Issued issued, Instant now, Duration jitter) {
        Instant issuedAt = issued.expiresAt().minusSeconds(issued.lifetimeSeconds());
        if (now.isAfter(issuedAt.plus(MAX_TTL).minus(jitter))) {
            return true;
        }
        Duration lastFifth = Duration.ofSeconds(issued.lifetimeSeconds() * 20 / 100);
        return now.isAfter(issued.expiresAt().minus(lastFifth).minus(jitter));
    }

    private static TokenRequest request(Pod pod, String audience, long expirationSeconds) {
        return new TokenRequestBuilder()
                .withNewSpec()
                .withAudiences(audience.isEmpty() ? List.of() : List.of(audience))
                .withExpirationSeconds(expirationSeconds)
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod")
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endBoundObjectRef()
                .endSpec()
                .build();
    }

    /** The token with its lifetime as the server granted it (it may differ from the one asked for). */
    private static Issued issued(TokenRequest answer, long askedSeconds, Instant now) throws TokenRequester.Failed {
        long lifetime = answer.getSpec() != null && answer.getSpec().getExpirationSeconds() != null
                ? answer.getSpec().getExpirationSeconds() : askedSeconds;
        Instant expires;
        try {
            String stamp = answer.getStatus().getExpirationTimestamp();
            expires = stamp == null ? now.plusSeconds(lifetime) : Instant.parse(stamp);
        } catch (DateTimeParseException e) {
            throw new TokenRequester.Failed("failed to fetch token: the server sent an unreadable expirationTimestamp");
        }
        return new Issued(answer.getStatus().getToken(), expires, lifetime);
    }
}
