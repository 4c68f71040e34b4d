package dev.konductor.server.pki;

import dev.konductor.api.serviceaccount.SigningKey;

/**
 * The cluster's certificates: its CA, the API server's serving certificate and the admin
 * client certificate, the latter two signed by the CA; and the key that signs service account
 * tokens.
 */
public record ClusterCredentials(KeyAndCertificate ca, KeyAndCertificate apiServer, KeyAndCertificate admin,
                                 SigningKey serviceAccountKey) {
}
