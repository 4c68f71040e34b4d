package dev.konductor.apiserver;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * What the HTTPS listener needs: the serving key and certificate chain, and the CA whose client
 * certificates authenticate users (the certificate's CN is the user name, its O entries the groups).
 */
public record TlsMaterial(PrivateKey serverKey, X509Certificate[] serverChain, X509Certificate clientCa) {
}
