package dev.konductor.apiserver.authn;

import java.util.List;

/** Turns a bearer token into a user, as one of upstream's token authenticators. */
public interface TokenAuthenticator {

    /** What an authenticator made of a token. */
    sealed interface Outcome {

        /** Not a token this authenticator knows: ask the next one. */
        record Unknown() implements Outcome {
        }

        /** A token this authenticator knows and refuses (expired, revoked, wrong audience...). */
        record Rejected(String reason) implements Outcome {
        }

        /** @param audiences the requested audiences the token is good for */
        record Authenticated(UserInfo user, List<String> audiences) implements Outcome {
        }
    }

    /**
     * @param audiences the audiences the token must be meant for: the API server's own, or those
     *                  a TokenReview asks about
     */
    Outcome authenticate(String token, List<String> audiences);
}
