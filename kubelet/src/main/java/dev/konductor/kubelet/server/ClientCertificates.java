package dev.konductor.kubelet.server;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts client certificates issued by the cluster CA, as upstream's kubelet with
 * {@code --client-ca-file}: the API server presents one when it proxies logs. The leaf must be
 * signed by the CA and within its validity.
 */
final class ClientCertificates extends X509ExtendedTrustManager {

    private final X509Certificate clusterCa;

    ClientCertificates(X509Certificate clusterCa) {
        this.clusterCa = clusterCa;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no client certificate");
        }
        X509Certificate leaf = chain[0];
        leaf.checkValidity();
        try {
            leaf.verify(clusterCa.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CertificateException("client certificate not issued by the cluster CA: "
                    + leaf.getSubjectX500Principal().getName());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the kubelet trusts no servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {clusterCa};
    }
}
