package dev.konductor.apiserver.nodejoin;

/**
 * Issues a joining node the client certificates its components authenticate with, signed by the
 * cluster CA, as a k3s server issues its agents theirs: the kubelet's
 * ({@code CN=system:node:<name>, O=system:nodes}, which the Node authorizer and NodeRestriction
 * confine to that node; upstream's kubelet gets it through TLS bootstrapping, a
 * CertificateSigningRequest approved for holders of a bootstrap token) and the service proxy's
 * ({@code system:kube-proxy}). Each answer is the PEM of the certificate, then of a fresh key.
 */
public interface NodeCredentialIssuer {

    String kubelet(String nodeName);

    String kubeProxy();
}
