package dev.konductor.server.local;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.konductor.server.pki.ClusterCredentials;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A stand-in for the API server's {@code /readyz}: HTTPS on loopback with the cluster's serving
 * certificate, demanding a client certificate signed by the cluster CA, as the real one does.
 */
final class FakeReadyzServer implements AutoCloseable {

    private static final char[] PASSWORD = "test".toCharArray();

    private final HttpsServer server;
    private volatile int status;

    private FakeReadyzServer(HttpsServer server, int status) {
        this.server = server;
        this.status = status;
    }

    static FakeReadyzServer start(ClusterCredentials credentials, int status) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        SSLContext context = serverContext(credentials);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                parameters.setNeedClientAuth(true);
            }
        });
        FakeReadyzServer fake = new FakeReadyzServer(server, status);
        server.createContext("/readyz", exchange -> {
            byte[] body = (fake.status == 200 ? "ok" : "[-]etcd failed").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fake.status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return fake;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void status(int status) {
        this.status = status;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static SSLContext serverContext(ClusterCredentials credentials) throws Exception {
        KeyStore identity = KeyStore.getInstance("PKCS12");
        identity.load(null, null);
        identity.setKeyEntry("serving", credentials.apiServer().key(), PASSWORD,
                new X509Certificate[] {credentials.apiServer().certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity, PASSWORD);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", credentials.ca().certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
