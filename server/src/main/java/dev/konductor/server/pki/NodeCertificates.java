package dev.konductor.server.pki;

import dev.konductor.apiserver.nodejoin.NodeCredentialIssuer;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The server's side of an agent's join: a fresh key and a client certificate, signed by the
 * cluster CA, for the node's kubelet ({@code system:node:<name>} in {@code system:nodes}) or its
 * service proxy ({@code system:kube-proxy}), for each request (an agent asks once per start).
 */
public final class NodeCertificates implements NodeCredentialIssuer {

    private final Supplier<KeyAndCertificate> ca;
    private final Clock clock;

    public NodeCertificates(Supplier<KeyAndCertificate> ca, Clock clock) {
        this.ca = ca;
        this.clock = clock;
    }

    @Override
    public String kubelet(String nodeName) {
        return issue(ClientIdentity.node(nodeName));
    }

    @Override
    public String kubeProxy() {
        return issue(ClientIdentity.kubeProxy());
    }

    private String issue(ClientIdentity identity) {
        KeyAndCertificate issued = new CertificateIssuer(clock).issueClient(ca.get(), identity.user(),
                identity.groups());
        return Pem.encodeCertificate(issued.certificate()) + Pem.encodePrivateKey(issued.key());
    }
}
