package dev.konductor.server.pki;

/**
 * The cluster's certificates: its CA, the API server's serving certificate and the admin
 * client certificate, the latter two signed by the CA.
 */
public record ClusterCredentials(KeyAndCertificate ca, KeyAndCertificate apiServer, KeyAndCertificate admin) {
}
