package dev.konductor.server.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A private key and the certificate for its public key. */
public record KeyAndCertificate(PrivateKey key, X509Certificate certificate) {
}
