package dev.konductor.server.agent;

import dev.konductor.server.pki.NodeToken;
import dev.konductor.server.pki.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Learns a server's cluster CA the way a k3s agent does: fetches {@code /cacerts} over TLS
 * without checking the server (it cannot yet: the CA is what it is fetching), sends no secret,
 * and accepts the answer only if it is the CA the join token's hash names. Everything after
 * that is verified TLS against this CA.
 */
final class CaFetcher {

    /** The server answered with another CA than the token names: an impostor, or the wrong cluster. */
    static final class WrongCa extends IllegalStateException {
        WrongCa(String message) {
            super(message);
        }
    }

    private final Duration timeout;

    CaFetcher(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * @throws IOException if the server cannot be reached or answers oddly (worth retrying)
     * @throws WrongCa     if the server's CA is not the token's (never worth retrying)
     */
    X509Certificate fetch(URI server, NodeToken token) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) server.resolve("/cacerts").toURL().openConnection();
        connection.setSSLSocketFactory(unverified().getSocketFactory());
        connection.setHostnameVerifier((host, session) -> true); // the hash check below is what counts
        connection.setConnectTimeout((int) timeout.toMillis());
        connection.setReadTimeout((int) timeout.toMillis());
        try {
            if (connection.getResponseCode() != 200) {
                throw new IOException(server + "/cacerts answered " + connection.getResponseCode());
            }
            String pem;
            try (InputStream body = connection.getInputStream()) {
                pem = new String(body.readNBytes(64 * 1024), StandardCharsets.US_ASCII);
            }
            List<X509Certificate> certificates;
            try {
                certificates = Pem.decodeCertificates(pem);
            } catch (IllegalArgumentException e) {
                throw new IOException(server + "/cacerts is not a PEM certificate: " + e.getMessage(), e);
            }
            if (certificates.isEmpty() || !token.names(certificates.getFirst())) {
                throw new WrongCa("the CA of " + server + " is not the one the token names (its hash differs):"
                        + " refusing to join. Wrong server, or a token of another cluster?");
            }
            return certificates.getFirst();
        } finally {
            connection.disconnect();
        }
    }

    private static SSLContext unverified() throws IOException {
        TrustManager acceptAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // not a server
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // on purpose: see the class comment
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {acceptAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
