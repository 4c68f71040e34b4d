package dev.konductor.api.serviceaccount;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The stateless half of service account token authentication: is this a token we issued (one of
 * our keys signed it, its issuer is ours or the legacy one), is it within its lifetime (with
 * upstream's one minute of leeway for clock skew), and is it meant for the audiences asked for.
 * Whether its service account and bound object still exist is for the caller to check.
 */
public final class TokenVerifier {

    /** go-jose's default leeway, which upstream's validation uses. */
    static final Duration LEEWAY = Duration.ofMinutes(1);

    private final String issuer;
    private final List<SigningKey> keys;
    private final Clock clock;

    public TokenVerifier(String issuer, List<SigningKey> keys, Clock clock) {
        this.issuer = issuer;
        this.keys = List.copyOf(keys);
        this.clock = clock;
    }

    /** The outcome of checking a token. */
    public sealed interface Verdict {

        /** Not a service account token at all: another authenticator may know it. */
        record NotOurs() implements Verdict {
        }

        /** A service account token that must be refused, and why (for TokenReview and logs). */
        record Invalid(String reason) implements Verdict {
        }

        /**
         * @param audiences the wanted audiences the token is valid for (all of them for legacy
         *                  tokens, which carry none)
         */
        record Verified(TokenClaims claims, List<String> audiences) implements Verdict {
        }
    }

    /**
     * Checks {@code token} for use with one of {@code wanted} (the API server's own audiences, or
     * those a TokenReview names).
     */
    public Verdict verify(String token, List<String> wanted) {
        Optional<JsonWebSignature.Parsed> parsed = JsonWebSignature.parse(token);
        if (parsed.isEmpty()) {
            return new Verdict.NotOurs();
        }
        String iss = parsed.get().payload().path("iss").asText("");
        if (!iss.equals(issuer) && !iss.equals(TokenClaims.LEGACY_ISSUER)) {
            return new Verdict.NotOurs();
        }
        if (keys.stream().noneMatch(k -> JsonWebSignature.verify(parsed.get(), k))) {
            return new Verdict.Invalid("token signature is invalid");
        }
        Optional<TokenClaims> claims = TokenClaims.fromJson(parsed.get().payload(), issuer);
        if (claims.isEmpty()) {
            return new Verdict.Invalid("service account token claims are incomplete");
        }
        return switch (claims.get()) {
            case LegacyTokenClaims legacy -> new Verdict.Verified(legacy, List.copyOf(wanted));
            case BoundTokenClaims bound -> checkBound(bound, wanted);
        };
    }

    private Verdict checkBound(BoundTokenClaims claims, List<String> wanted) {
        Instant now = clock.instant();
        if (now.minus(LEEWAY).isAfter(claims.expiry())) {
            return new Verdict.Invalid("service account token has expired");
        }
        if (now.plus(LEEWAY).isBefore(claims.notBefore()) || now.plus(LEEWAY).isBefore(claims.issuedAt())) {
            return new Verdict.Invalid("service account token is not valid yet");
        }
        List<String> accepted = wanted.stream().filter(claims.audiences()::contains).toList();
        if (accepted.isEmpty()) {
            return new Verdict.Invalid("token audiences " + quoted(claims.audiences())
                    + " is invalid for the target audiences " + quoted(wanted));
        }
        return new Verdict.Verified(claims, accepted);
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").toList().toString();
    }
}
