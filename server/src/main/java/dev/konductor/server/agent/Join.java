package dev.konductor.server.agent;

import dev.konductor.apiserver.nodejoin.NodeCredentialsEndpoint;
import dev.konductor.server.control.LocalClients;
import dev.konductor.server.datadir.AtomicFiles;
import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.kubeconfig.Kubeconfig;
import dev.konductor.server.node.ClusterAccess;
import dev.konductor.server.node.ClusterConfig;
import dev.konductor.server.pki.ClientIdentity;
import dev.konductor.server.pki.KeyAndCertificate;
import dev.konductor.server.pki.NodeToken;
import dev.konductor.server.pki.Pem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's first step, before any of its components starts: learns the server's CA and checks
 * it against the token ({@link CaFetcher}), writes {@code DIR/ca.crt} and a bootstrap kubeconfig
 * that trusts only that CA and presents the join token, proves the token works and reads what the
 * cluster's nodes agree on ({@link ClusterConfig}), then asks for the client certificates of the
 * node ({@code system:node:<name>}) and of its service proxy ({@code system:kube-proxy}) from
 * {@link NodeCredentialsEndpoint} and writes a kubeconfig with each: like upstream's kubelet after
 * TLS bootstrapping, the node is then confined by the Node authorizer. Waits for a server that is not up yet; gives up at
 * once on a server whose CA differs or that refuses the token.
 */
final class Join {

    /** The outcome: how the node's components reach the cluster, and its settings. */
    record Joined(Path kubeconfig, Path proxyKubeconfig, X509Certificate clusterCa, ClusterConfig config)
            implements ClusterAccess {
        @Override
        public Set<String> components() {
            return Set.of(); // joined before the supervisor starts anything
        }

        @Override
        public String registryUrl() {
            return config.registryUrl();
        }
    }

    static final Duration RETRY = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(Join.class);

    private final URI server;
    private final NodeToken token;
    private final DataDir dataDir;
    private final String nodeName;
    private volatile boolean stopping;

    Join(URI server, NodeToken token, DataDir dataDir, String nodeName) {
        this.server = server;
        this.token = token;
        this.dataDir = dataDir;
        this.nodeName = nodeName;
    }

    /**
     * Joins; empty if {@link #abort()} was called meanwhile.
     *
     * @throws IllegalStateException when the server's CA is not the token's, or the token is refused
     */
    Optional<Joined> run() throws InterruptedException {
        CaFetcher fetcher = new CaFetcher(Duration.ofSeconds(5));
        X509Certificate fetched = null;
        boolean told = false;
        while (fetched == null && !stopping) {
            try {
                fetched = fetcher.fetch(server, token);
            } catch (IOException e) {
                if (!told) {
                    log.info("waiting for the server server={} error={}", server, e.getMessage());
                    told = true;
                }
                Thread.sleep(RETRY);
            }
        }
        if (fetched == null) {
            return Optional.empty();
        }
        String caPem = Pem.encodeCertificate(fetched);
        AtomicFiles.write(dataDir.root().resolve("ca.crt"), caPem, AtomicFiles.Mode.PUBLIC);
        AtomicFiles.write(dataDir.bootstrapKubeconfig(), kubeconfig(server, caPem, token.secret()),
                AtomicFiles.Mode.PRIVATE);
        Optional<ClusterConfig> config = readClusterConfig();
        if (config.isEmpty()) {
            return Optional.empty();
        }
        Path proxyKubeconfig = dataDir.componentKubeconfig(ClientIdentity.kubeProxy().file());
        try {
            Files.createDirectories(proxyKubeconfig.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + proxyKubeconfig.getParent(), e);
        }
        write(credentials(NodeCredentialsEndpoint.KUBELET_PATH, Map.of("nodeName", nodeName)), caPem, "node",
                dataDir.kubeconfig());
        write(credentials(NodeCredentialsEndpoint.KUBE_PROXY_PATH, Map.of()), caPem, "kube-proxy", proxyKubeconfig);
        log.info("joined server={} ca=sha256:{} serviceCidr={} clusterCidr={} registry={}", server,
                token.caHash().substring(0, 12), config.get().serviceCidr(), config.get().clusterCidr(), config.get().registryUrl());
        return Optional.of(new Joined(dataDir.kubeconfig(), proxyKubeconfig, fetched, config.get()));
    }

    private Optional<ClusterConfig> readClusterConfig() throws InterruptedException {
        try (KubernetesClient client = LocalClients.fromKubeconfig(dataDir.bootstrapKubeconfig(), "kubelet")) {
            while (!stopping) {
                try {
                    ConfigMap found = client.configMaps().inNamespace(ClusterConfig.NAMESPACE).withName(ClusterConfig.NAME).get();
                    if (found != null) {
                        return Optional.of(ClusterConfig.fromData(found.getData()));
                    }
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 401 || e.getCode() == 403) {
                        throw new IllegalStateException("the server refused the join token (HTTP " + e.getCode()
                                + "): is it the server's current DATA/node-token?", e);
                    }
                    log.debug("cannot read the cluster configuration yet: {}", e.getMessage());
                }
                Thread.sleep(RETRY); // the server publishes it once its registry is up
            }
            return Optional.empty();
        }
    }

    /**
     * A fresh key and certificate from {@code path}, which the server issues to holders of the
     * node token.
     *
     * @throws IllegalStateException when the server issues none (refused, or a server without it)
     */
    private KeyAndCertificate credentials(String path, Map<String, String> request) {
        try (KubernetesClient client = LocalClients.fromKubeconfig(dataDir.bootstrapKubeconfig(), "kubelet")) {
            String url = client.getMasterUrl().toString().replaceAll("/+$", "") + path;
            // raw() answers null for 404 and throws for the other failures
            String pem = client.raw(url, "POST", request);
            if (pem == null) {
                throw new IllegalStateException("the server issues no node certificates (" + url + " not found):"
                        + " is it a konductor server of this version?");
            }
            return new KeyAndCertificate(Pem.decodePrivateKey(pem), Pem.decodeCertificates(pem).getFirst());
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("the server refused a certificate for node " + nodeName + " from " + path
                    + " (HTTP " + e.getCode() + "): " + e.getMessage(), e);
        }
    }

    private void write(KeyAndCertificate credentials, String caPem, String user, Path file) {
        new Kubeconfig(server, caPem, Pem.encodeCertificate(credentials.certificate()),
                Pem.encodeForKubeconfig(credentials.key()), user).write(file);
    }

    /** A kubeconfig that trusts only the cluster CA and authenticates with the join token. */
    static String kubeconfig(URI server, String caPem, String bearerToken) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: konductor
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: node
                  user:
                    token: %s
                contexts:
                - name: konductor
                  context:
                    cluster: konductor
                    user: node
                current-context: konductor
                preferences: {}
                """.formatted(server, Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)),
                bearerToken);
    }

    /** Stops waiting for the server. */
    void abort() {
        stopping = true;
    }
}
