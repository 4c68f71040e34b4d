package dev.konductor.apiserver.testsupport;

import dev.konductor.apiserver.ApiServer;
import dev.konductor.apiserver.ApiServerConfig;
import dev.konductor.apiserver.TlsMaterial;
import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.store.Store;
import dev.konductor.store.Stores;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The real API server on loopback over SQLite in a temporary directory, for this module's own
 * end-to-end tests (the testing module's LocalApiServer depends on this module, so it cannot be
 * used here). {@link #restart()} stops the server and starts a new one on the same store.
 */
public final class TestApiServer implements AutoCloseable {

    public static final String TOKEN = "apiserver-test-token";

    private final Path dir;
    private final TlsMaterial tls = selfSigned();
    private final List<KubernetesClient> clients = new ArrayList<>();
    private Store store;
    private ApiServer server;

    private TestApiServer(Path dir) {
        this.dir = dir;
    }

    public static TestApiServer start() {
        try {
            TestApiServer s = new TestApiServer(Files.createTempDirectory("konductor-apiserver-test"));
            s.open();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void open() {
        store = Stores.open("sqlite", dir);
        server = new ApiServer(new ApiServerConfig(store, InetAddress.getLoopbackAddress(), 0, tls,
                Map.of(TOKEN, UserInfo.of("admin", List.of("system:masters"))), ApiServerConfig.DEFAULT_SERVICE_CIDR,
                ApiServerConfig.DEFAULT_NODE_PORT_RANGE, "127.0.0.1"));
        server.start();
    }

    /** Stops the server (clients are closed) and starts a new one over the same data. */
    public synchronized void restart() {
        closeServer();
        open();
    }

    public String url() {
        return "https://127.0.0.1:" + server.port();
    }

    /** The store under the server, for tests that look below the API. */
    public Store store() {
        return store;
    }

    /** Plain HTTP watches, as Konductor's own components use. */
    public Config config() {
        return config(true);
    }

    public Config config(boolean onlyHttpWatches) {
        return new ConfigBuilder(Config.empty()).withMasterUrl(url()).withTrustCerts(true).withOauthToken(TOKEN)
                .withNamespace("default").withRequestTimeout(30_000).withConnectionTimeout(10_000)
                .withOnlyHttpWatches(onlyHttpWatches).build();
    }

    public synchronized KubernetesClient client() {
        return client(config());
    }

    public synchronized KubernetesClient client(Config config) {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        clients.add(client);
        return client;
    }

    /**
     * Creates the {@code default} ServiceAccount in {@code namespace}: no serviceaccount controller
     * runs here, and the ServiceAccount admission refuses pods whose account does not exist.
     */
    public void createDefaultServiceAccount(String namespace) {
        client().serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("default").endMetadata().build()).create();
    }

    /** A response to {@link #request}. */
    public record Response(int status, String body) {
    }

    /** A raw request with the admin token (for what a typed client hides: Accept headers, 415s). */
    public Response request(String method, String path, String accept, String contentType, String body) {
        return request(method, path, accept, contentType, body, Map.of());
    }

    /** As {@link #request(String, String, String, String, String)}, with more headers (Impersonate-User...). */
    public Response request(String method, String path, String accept, String contentType, String body,
                            Map<String, String> extraHeaders) {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>(extraHeaders);
        headers.put("Authorization", "Bearer " + TOKEN);
        if (accept != null) {
            headers.put("Accept", accept);
        }
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return send(method, path, headers, body);
    }

    /** A raw request with exactly these headers (none: an anonymous request). */
    public Response send(String method, String path, java.util.Map<String, String> headers, String body) {
        try {
            var builder = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url() + path))
                    .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(builder::header);
            var response = trustingClient().send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path) {
        return request("GET", path, "application/json", null, null);
    }

    /** A JDK HTTP client that trusts the test certificate (and any other). */
    public static java.net.http.HttpClient trustingClient() {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new java.security.SecureRandom());
            return java.net.http.HttpClient.newBuilder().sslContext(context).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Polls every 20 ms until the condition holds; fails after 60 s, generous for a loaded 2-core
     * machine (the same reasoning as the testing module's {@code Await.GENEROUS}, which this
     * module cannot depend on).
     */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }

    private void closeServer() {
        clients.forEach(KubernetesClient::close);
        clients.clear();
        server.close();
        try {
            store.close();
        } catch (Exception ignored) {
            // a test fixture has nothing better to do
        }
    }

    @Override
    public synchronized void close() {
        closeServer();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    /** A self-signed certificate for 127.0.0.1, also its own client CA. */
    public static TlsMaterial selfSigned() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=konductor-apiserver-test");
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name,
                    pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new TlsMaterial(pair.getPrivate(), new X509Certificate[] {cert}, cert);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }
}
