package dev.konductor.apiserver.authn;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Fixed tokens, each naming its user and groups (upstream's {@code --token-auth-file}): the node
 * join token and the test servers' tokens. Such tokens are good for any audience.
 */
public final class StaticTokens implements TokenAuthenticator {

    private final Map<String, UserInfo> users;

    /** @param users token to user ({@code system:authenticated} is added to their groups) */
    public StaticTokens(Map<String, UserInfo> users) {
        this.users = Map.copyOf(users);
    }

    @Override
    public Outcome authenticate(String token, List<String> audiences) {
        for (Map.Entry<String, UserInfo> entry : users.entrySet()) {
            // constant time, so response times do not leak how much of a guess was right
            if (MessageDigest.isEqual(entry.getKey().getBytes(StandardCharsets.UTF_8),
                    token.getBytes(StandardCharsets.UTF_8))) {
                UserInfo user = entry.getValue();
                return new Outcome.Authenticated(UserInfo.of(user.name(), user.groups()), audiences);
            }
        }
        return new Outcome.Unknown();
    }
}
