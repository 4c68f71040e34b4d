package dev.konductor.kubelet;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.URI;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** What a test node's kubelet trusts: the certificate its API server presents. */
final class ServerCertificates {

    private ServerCertificates() {
    }

    /**
     * The certificate the server at {@code url} presents, taken from a TLS handshake that checks
     * nothing. LocalApiServer's certificate is self-signed and is also its client CA, so the
     * kubelet trusts exactly this one.
     */
    static X509Certificate of(URI url) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(url.getHost(), url.getPort())) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
