package dev.konductor.apiserver.nodejoin;

/**
 * Issues a joining node the client certificate its kubelet authenticates with, signed by the
 * cluster CA: {@code CN=system:node:<name>, O=system:nodes}, which the Node authorizer and
 * NodeRestriction confine to that node. Upstream's kubelet gets the same certificate through TLS
 * bootstrapping (a CertificateSigningRequest the controller manager approves for holders of a
 * bootstrap token); Konductor's agent asks for it directly, as a k3s agent does.
 */
@FunctionalInterface
public interface NodeCredentialIssuer {

    /** The PEM of the certificate, followed by the PEM of its private key. */
    String issue(String nodeName);
}
