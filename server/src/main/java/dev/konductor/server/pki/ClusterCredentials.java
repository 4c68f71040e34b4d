package dev.konductor.server.pki;

import dev.konductor.api.serviceaccount.SigningKey;
import java.util.Map;

/**
 * The cluster's certificates: its CA, the API server's serving certificate, the admin client
 * certificate and those of the server's own components ({@link ClientIdentity}, by file name),
 * all signed by the CA; and the key that signs service account tokens.
 */
public record ClusterCredentials(KeyAndCertificate ca, KeyAndCertificate apiServer, KeyAndCertificate admin,
                                 SigningKey serviceAccountKey, Map<String, KeyAndCertificate> components) {

    public ClusterCredentials {
        components = Map.copyOf(components);
    }

    public ClusterCredentials(KeyAndCertificate ca, KeyAndCertificate apiServer, KeyAndCertificate admin,
                              SigningKey serviceAccountKey) {
        this(ca, apiServer, admin, serviceAccountKey, Map.of());
    }

    /** The client certificate of a component, by its {@link ClientIdentity#file()}. */
    public KeyAndCertificate component(String file) {
        KeyAndCertificate pair = components.get(file);
        if (pair == null) {
            throw new IllegalArgumentException("no client certificate was issued for " + file);
        }
        return pair;
    }
}
