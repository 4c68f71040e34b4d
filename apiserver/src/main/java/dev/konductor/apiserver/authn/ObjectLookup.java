package dev.konductor.apiserver.authn;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads core/v1 objects for authentication and token issuing, as upstream's authenticator reads
 * them through informers: from the API server's cache, without waiting for it to catch up.
 */
@FunctionalInterface
public interface ObjectLookup {

    /**
     * @param plural    a core/v1 resource: {@code serviceaccounts}, {@code pods}, {@code secrets}, {@code nodes}
     * @param namespace null for cluster-scoped resources
     * @return the object, or null when there is none
     */
    JsonNode get(String plural, String namespace, String name);
}
