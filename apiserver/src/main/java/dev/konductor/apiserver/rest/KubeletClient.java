package dev.konductor.apiserver.rest;

import dev.konductor.apiserver.SingleKeyManager;
import dev.konductor.apiserver.TlsMaterial;
import dev.konductor.streaming.SocketDuplex;
import dev.konductor.streaming.UpgradeProxy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * HTTPS connections from the API server to kubelets: requests for logs, raw connections for
 * exec, attach and port-forward. It authenticates with the API server's own certificate, which
 * the kubelet checks against the cluster CA; it does not verify the kubelet's self-signed
 * serving certificate, as upstream's API server without {@code --kubelet-certificate-authority}.
 */
final class KubeletClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final SSLContext tls;
    private final HttpClient http;

    KubeletClient(TlsMaterial tls) {
        this.tls = sslContext(tls);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .sslContext(this.tls)
                .sslParameters(noHostnameCheck())
                .build();
    }

    /** A TLS connection to a kubelet, handshake done, for a streaming upgrade; the caller closes it. */
    SocketDuplex connect(String host, int port) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
        try {
            socket.connect(new InetSocketAddress(host, port), Math.toIntExact(CONNECT_TIMEOUT.toMillis()));
            socket.setTcpNoDelay(true);
            socket.setSSLParameters(noHostnameCheck());
            socket.setSoTimeout(Math.toIntExact(UpgradeProxy.HANDSHAKE_TIMEOUT.toMillis()));
            socket.startHandshake();
            return new SocketDuplex(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A GET whose body streams; the caller closes it. */
    HttpResponse<InputStream> get(String host, int port, String pathAndQuery) throws IOException, InterruptedException {
        String authority = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + authority + pathAndQuery)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    private static SSLContext sslContext(TlsMaterial tls) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            // the serving certificate, offered without checking its extended key usage
            context.init(new KeyManager[] {new SingleKeyManager(tls.serverKey(), tls.serverChain())},
                    new TrustManager[] {new AnyKubelet()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS towards kubelets: " + e.getMessage(), e);
        }
    }

    private static SSLParameters noHostnameCheck() {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm(null);
        return parameters;
    }

    /** Kubelets serve self-signed certificates; their identity comes from the Node object instead. */
    private static final class AnyKubelet extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
