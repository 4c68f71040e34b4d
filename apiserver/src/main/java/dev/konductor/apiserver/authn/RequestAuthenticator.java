package dev.konductor.apiserver.authn;

import dev.konductor.apiserver.http.HttpExchange;
import java.util.List;
import java.util.Optional;

/**
 * Upstream's union authenticator: a verified client certificate first (its CN the user, its O
 * entries the groups), then the bearer token through each token authenticator in turn until one
 * knows it. A request without credentials is {@code system:anonymous} (upstream's default
 * {@code --anonymous-auth}), which RBAC lets read health and version only.
 */
public final class RequestAuthenticator {

    private final List<TokenAuthenticator> tokens;
    private final List<String> apiAudiences;

    /**
     * @param apiAudiences the audiences a token must be meant for to be used against this API
     *                     server (upstream's {@code --api-audiences}, by default the issuer)
     */
    public RequestAuthenticator(List<TokenAuthenticator> tokens, List<String> apiAudiences) {
        this.tokens = List.copyOf(tokens);
        this.apiAudiences = List.copyOf(apiAudiences);
    }

    public List<String> apiAudiences() {
        return apiAudiences;
    }

    /**
     * The user the request comes from: anonymous without credentials; empty when its bearer token
     * proves no identity (401).
     */
    public Optional<UserInfo> authenticate(HttpExchange exchange) {
        if (exchange.user() != null) {
            return Optional.of(UserInfo.of(exchange.user(), exchange.groups()));
        }
        String authorization = exchange.header("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(UserInfo.ANONYMOUS);
        }
        String token = authorization.substring(7).trim();
        if (token.isEmpty()) {
            return Optional.empty();
        }
        return authenticateToken(token, apiAudiences) instanceof TokenAuthenticator.Outcome.Authenticated a
                ? Optional.of(a.user()) : Optional.empty();
    }

    /** Runs the token authenticators in order; the first that knows the token decides. */
    public TokenAuthenticator.Outcome authenticateToken(String token, List<String> audiences) {
        for (TokenAuthenticator authenticator : tokens) {
            TokenAuthenticator.Outcome outcome = authenticator.authenticate(token, audiences);
            if (!(outcome instanceof TokenAuthenticator.Outcome.Unknown)) {
                return outcome;
            }
        }
        return new TokenAuthenticator.Outcome.Unknown();
    }
}
