package dev.konductor.testing;

import dev.konductor.api.serviceaccount.SigningKey;
import dev.konductor.apiserver.ApiServer;
import dev.konductor.apiserver.ApiServerConfig;
import dev.konductor.apiserver.TlsMaterial;
import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.store.KeyValue;
import dev.konductor.store.RangeResult;
import dev.konductor.store.Store;
import dev.konductor.store.Stores;
import dev.konductor.store.Watch;
import dev.konductor.store.WatchListener;
import dev.konductor.store.WriteResult;
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
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A real Konductor API server on loopback, over a SQLite store in a temporary directory, for the
 * tests of components that are clients of the API (controllers, scheduler, node agents), with the
 * {@code default} ServiceAccount in the namespaces a cluster starts with. Clients
 * authenticate with a bearer token; the certificate is self-signed and trusted by the clients
 * this class hands out.
 *
 * <pre>{@code
 * try (LocalApiServer api = LocalApiServer.start(); KubernetesClient client = api.client()) { ... }
 * }</pre>
 */
public final class LocalApiServer implements AutoCloseable {

    private static final String TOKEN = "local-test-token";

    private final Path dir;
    private final Store store;
    private final ApiServer server;
    private final SigningKey serviceAccountKey;
    private final List<KubernetesClient> clients = new ArrayList<>();

    private LocalApiServer(Path dir, Store store, ApiServer server, SigningKey serviceAccountKey) {
        this.dir = dir;
        this.store = store;
        this.server = server;
        this.serviceAccountKey = serviceAccountKey;
    }

    /** Starts a server on a free loopback port with an empty store (plus the bootstrap objects). */
    public static LocalApiServer start() {
        return start(false);
    }

    /**
     * As {@link #start()}, over a store that says other servers share it, as an etcd cluster does
     * ({@link Store#sharedBetweenServers()}), for what a server keeps in its store then instead of
     * in its memory.
     */
    public static LocalApiServer startAsIfShared() {
        return start(true);
    }

    private static LocalApiServer start(boolean shared) {
        Path dir;
        try {
            dir = Files.createTempDirectory("konductor-test-api");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Store store = shared ? new AsIfShared(Stores.open("sqlite", dir)) : Stores.open("sqlite", dir);
        SigningKey serviceAccountKey = SigningKey.generate();
        TlsMaterial tls = selfSigned();
        ApiServer server = new ApiServer(new ApiServerConfig(store, InetAddress.getLoopbackAddress(), 0,
                tls, Map.of(TOKEN, UserInfo.of("admin", List.of("system:masters"))), ApiServerConfig.DEFAULT_SERVICE_CIDR,
                ApiServerConfig.DEFAULT_NODE_PORT_RANGE, "127.0.0.1", serviceAccountKey));
        try {
            server.start();
        } catch (RuntimeException e) {
            closeQuietly(store);
            throw e;
        }
        LocalApiServer api = new LocalApiServer(dir, store, server, serviceAccountKey);
        try {
            api.createDefaultServiceAccounts();
            api.publishRootCa(tls.serverChain()[0]);
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        return api;
    }

    /**
     * What the serviceaccount controller does moments after a cluster starts: the {@code default}
     * ServiceAccount in each namespace that exists from the start. No controller manager runs
     * here, and the ServiceAccount admission plugin refuses pods whose account is missing, so
     * tests that make namespaces of their own run that controller or create the account.
     */
    private void createDefaultServiceAccounts() {
        KubernetesClient client = client();
        for (String namespace : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
            client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName("default").endMetadata().build()).create();
        }
    }

    /**
     * What the root-ca-cert-publisher controller does: the {@code kube-root-ca.crt} ConfigMap,
     * which every pod's {@code kube-api-access} volume mounts, in the namespaces a cluster starts
     * with. This server's certificate is self-signed, so it is its own CA.
     */
    private void publishRootCa(X509Certificate certificate) {
        String pem;
        try {
            pem = "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                    .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the test certificate", e);
        }
        KubernetesClient client = client();
        for (String namespace : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
            client.configMaps().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                    .withNewMetadata().withName("kube-root-ca.crt").endMetadata()
                    .addToData("ca.crt", pem).build()).create();
        }
    }

    /** The server's base URL, {@code https://127.0.0.1:PORT}. */
    public String url() {
        return "https://127.0.0.1:" + server.port();
    }

    /** The key this server signs and verifies service account tokens with (for a controller manager). */
    public SigningKey serviceAccountKey() {
        return serviceAccountKey;
    }

    /** A client configuration for this server (trusting its certificate). */
    public Config config() {
        return new ConfigBuilder(Config.empty()).withMasterUrl(url()).withTrustCerts(true)
                .withOauthToken(TOKEN).withNamespace("default").withRequestTimeout(30_000)
                .withConnectionTimeout(10_000).withOnlyHttpWatches(true).build();
    }

    /** Writes a kubeconfig for this server's admin token (skipping TLS verification), as kubectl reads it. */
    public void writeKubeconfig(Path file) {
        try {
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: node
                      cluster: {server: "%s", insecure-skip-tls-verify: true}
                    users:
                    - name: admin
                      user: {token: "%s"}
                    contexts:
                    - name: node
                      context: {cluster: node, user: admin, namespace: default}
                    current-context: node
                    """.formatted(url(), TOKEN));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A new client; closed with this server. */
    public synchronized KubernetesClient client() {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config()).build();
        clients.add(client);
        return client;
    }

    @Override
    public synchronized void close() {
        clients.forEach(KubernetesClient::close);
        server.close();
        closeQuietly(store);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing useful to do in a test fixture
        }
    }

    private static TlsMaterial selfSigned() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=konductor-test");
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name,
                    pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")}));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new TlsMaterial(pair.getPrivate(), new X509Certificate[] {cert}, cert);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    /** A store that answers as a shared one (an etcd cluster) would, over one that is not. */
    private record AsIfShared(Store store) implements Store {
        @Override
        public long currentRevision() {
            return store.currentRevision();
        }

        @Override
        public long compactedRevision() {
            return store.compactedRevision();
        }

        @Override
        public KeyValue get(String key) {
            return store.get(key);
        }

        @Override
        public RangeResult range(String prefix, String startKey, long revision, int limit) {
            return store.range(prefix, startKey, revision, limit);
        }

        @Override
        public long count(String prefix) {
            return store.count(prefix);
        }

        @Override
        public WriteResult create(String key, byte[] value) {
            return store.create(key, value);
        }

        @Override
        public WriteResult update(String key, byte[] value, long expectedModRevision) {
            return store.update(key, value, expectedModRevision);
        }

        @Override
        public WriteResult delete(String key, long expectedModRevision) {
            return store.delete(key, expectedModRevision);
        }

        @Override
        public Watch watch(String prefix, long afterRevision, WatchListener listener) {
            return store.watch(prefix, afterRevision, listener);
        }

        @Override
        public void compact(long revision) {
            store.compact(revision);
        }

        @Override
        public boolean sharedBetweenServers() {
            return true;
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
