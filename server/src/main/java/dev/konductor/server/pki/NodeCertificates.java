package dev.konductor.server.pki;

import dev.konductor.apiserver.nodejoin.NodeCredentialIssuer;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The server's side of an agent's join: a fresh key and a client certificate for
 * {@code system:node:<name>} in {@code system:nodes}, signed by the cluster CA, for each request
 * (an agent asks once per start, so a lost key is never reused).
 */
public final class NodeCertificates implements NodeCredentialIssuer {

    private final Supplier<KeyAndCertificate> ca;
    private final Clock clock;

    public NodeCertificates(Supplier<KeyAndCertificate> ca, Clock clock) {
        this.ca = ca;
        this.clock = clock;
    }

    @Override
    public String issue(String nodeName) {
        ClientIdentity node = ClientIdentity.node(nodeName);
        KeyAndCertificate issued = new CertificateIssuer(clock).issueClient(ca.get(), node.user(), node.groups());
        return Pem.encodeCertificate(issued.certificate()) + Pem.encodePrivateKey(issued.key());
    }
}
