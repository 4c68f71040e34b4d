package dev.konductor.server.local;

import dev.konductor.apiserver.SingleKeyManager;
import dev.konductor.server.kubeconfig.Kubeconfig;
import dev.konductor.server.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Asks an API server's {@code /readyz} whether it is ready, as the admin of a kubeconfig: the
 * cluster CA is the only trusted root and the admin client certificate is presented. So a
 * "ready" answer also proves that the kubeconfig handed to the user works.
 */
public final class ReadinessProbe implements AutoCloseable {

    /** What the probe found. */
    public sealed interface Result {
        /** {@code /readyz} answered 200. */
        record Ready() implements Result {
        }

        /** The server answered, but not 200 (starting up, or a check failing). */
        record NotReady(int status, String body) implements Result {
        }

        /** No HTTP answer at all: nothing listening, TLS refused, timed out. */
        record Unreachable(String reason) implements Result {
        }
    }

    private final URI readyz;
    private final URI nodes;
    private final boolean requireReadyNode;
    private final HttpClient client;
    private final Duration timeout;

    public ReadinessProbe(Kubeconfig kubeconfig, Duration timeout) {
        this(kubeconfig, timeout, false);
    }

    /**
     * @param requireReadyNode also wait for a node with condition Ready=True (a cluster that runs a
     *                         node is usable only once pods can land somewhere)
     */
    public ReadinessProbe(Kubeconfig kubeconfig, Duration timeout, boolean requireReadyNode) {
        this.readyz = kubeconfig.server().resolve("/readyz");
        this.nodes = kubeconfig.server().resolve("/api/v1/nodes");
        this.requireReadyNode = requireReadyNode;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .sslContext(sslContext(kubeconfig))
                .connectTimeout(timeout)
                .build();
    }

    public Result check() {
        HttpRequest request = HttpRequest.newBuilder(readyz).timeout(timeout).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new Result.NotReady(response.statusCode(), response.body().strip());
            }
            return requireReadyNode ? checkNodes() : new Result.Ready();
        } catch (IOException e) {
            return new Result.Unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.Unreachable("interrupted");
        }
    }

    private Result checkNodes() throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(nodes).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return new Result.NotReady(response.statusCode(), response.body().strip());
        }
        for (var node : new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("items")) {
            for (var condition : node.path("status").path("conditions")) {
                if (condition.path("type").asText().equals("Ready") && condition.path("status").asText().equals("True")) {
                    return new Result.Ready();
                }
            }
        }
        return new Result.NotReady(200, "the API server is ready; waiting for the node to be Ready");
    }

    @Override
    public void close() {
        client.close();
    }

    /** TLS with the kubeconfig's client certificate, trusting only its certificate authority. */
    public static SSLContext sslContext(Kubeconfig kubeconfig) {
        try {
            List<X509Certificate> clientChain = Pem.decodeCertificates(kubeconfig.clientCertificate());
            KeyManager identity = new SingleKeyManager(Pem.decodePrivateKey(kubeconfig.clientKey()),
                    clientChain.toArray(X509Certificate[]::new));

            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            List<X509Certificate> authorities = Pem.decodeCertificates(kubeconfig.certificateAuthority());
            for (int i = 0; i < authorities.size(); i++) {
                trusted.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);

            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {identity}, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot use the credentials in the kubeconfig: " + e.getMessage(), e);
        }
    }
}
