package dev.konductor.kubelet.token;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;

/**
 * Asks the API server for a service account token (TokenRequest:
 * {@code POST /api/v1/namespaces/NS/serviceaccounts/SA/token}).
 */
@FunctionalInterface
public interface TokenRequester {

    /** The server's answer, its status holding the token and its expiry; {@link Failed} when there is none. */
    TokenRequest request(String namespace, String serviceAccount, TokenRequest request) throws Failed;

    /** The server refused or could not be reached; the message is what it said. */
    final class Failed extends Exception {
        public Failed(String message) {
            super(message);
        }
    }
}
