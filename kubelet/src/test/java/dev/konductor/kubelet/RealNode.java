package dev.konductor.kubelet;

import dev.konductor.kubelet.containerd.ContainerdLayout;
import dev.konductor.kubelet.containerd.ContainerdProcess;
import dev.konductor.kubelet.containerd.ContainerdSettings;
import dev.konductor.kubelet.containerd.ManagedContainerd;
import dev.konductor.kubelet.containerd.PodNetwork;
import dev.konductor.kubelet.images.BuiltImage;
import dev.konductor.kubelet.images.BuiltinImages;
import dev.konductor.kubelet.images.ImageStore;
import dev.konductor.kubelet.registry.RegistryServer;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A real node for end-to-end tests: the project's images in its registry, a supervised
 * containerd with runc and a CNI bridge, a LocalApiServer, and the kubelet; plus a kubeconfig
 * for the real kubectl. {@link #close()} stops everything it started and removes its directory,
 * also after a failed start; it fails if a mount is left behind.
 */
final class RealNode implements AutoCloseable {

    private final Path dir;
    private final String nodeName;
    private RegistryServer registry;
    private ManagedContainerd containerd;
    private LocalApiServer api;
    private Kubelet kubelet;

    private RealNode(Path dir, String nodeName) {
        this.dir = dir;
        this.nodeName = nodeName;
    }

    /** Why this machine cannot run a real node (not root, containerd missing, ...), or empty. */
    static Optional<String> unavailable() {
        if (!ContainerdProcess.runningAsRoot()) {
            return Optional.of("the cri runtime needs root");
        }
        if (ContainerdProcess.findBinary().isEmpty() || ContainerdProcess.findRunc().isEmpty()) {
            return Optional.of("containerd or runc is not installed (apt-get install containerd runc)");
        }
        if (!Files.isExecutable(Path.of("/usr/lib/cni/bridge"))) {
            return Optional.of("the CNI plugins are not installed (apt-get install containernetworking-plugins)");
        }
        return Optional.empty();
    }

    /**
     * Starts a node named {@code nodeName} whose pods take addresses from {@code podCidr} on
     * bridge {@code bridge}; its files live in a fresh {@code /tmp/PREFIX*} directory.
     */
    static RealNode start(String dirPrefix, String nodeName, String podCidr, String bridge) throws Exception {
        List<BuiltImage> images = BuiltinImages.build()
                .orElseThrow(() -> new IllegalStateException("no static busybox (apt-get install busybox-static)"));
        RealNode node = new RealNode(Files.createTempDirectory(Path.of("/tmp"), dirPrefix), nodeName);
        try {
            node.startParts(images, podCidr, bridge);
            return node;
        } catch (Exception | AssertionError e) {
            node.close();
            throw e;
        }
    }

    private void startParts(List<BuiltImage> images, String podCidr, String bridge) throws Exception {
        ImageStore store = new ImageStore(dir.resolve("images"));
        images.forEach(store::add);
        registry = RegistryServer.start(store, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ContainerdSettings settings = new ContainerdSettings(new ContainerdLayout(dir.resolve("containerd")),
                BuiltinImages.PAUSE, registry.url(), ContainerdSettings.DEFAULT_MIRRORED_HOSTS, Path.of("/usr/lib/cni"),
                ContainerdProcess.findRunc().orElseThrow(), new PodNetwork("ks-" + nodeName, bridge, podCidr,
                List.of("10.96.0.0/12")));
        containerd = ManagedContainerd.start(settings, ContainerdProcess.findBinary().orElseThrow(), Duration.ofSeconds(30));
        api = LocalApiServer.start();
        kubelet = new Kubelet(api.client(), containerd.runtime(), new KubeletSettings(nodeName, Optional.of(podCidr),
                List.of(InetAddress.getLoopbackAddress()), InetAddress.getLoopbackAddress(), 0, dir.resolve("kubelet"),
                serverCertificate(URI.create(api.url())), "v1.32.0-konductor", KubeletSettings.ClusterDns.none()), Clock.systemUTC());
        kubelet.start();
        Files.writeString(kubeconfig(), """
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
                """.formatted(api.url(), api.config().getOauthToken()));
    }

    Path dir() {
        return dir;
    }

    String nodeName() {
        return nodeName;
    }

    /** A kubeconfig for the admin (a bearer token, the server's certificate not checked). */
    Path kubeconfig() {
        return dir.resolve("kubeconfig.yaml");
    }

    KubernetesClient client() {
        return api.client();
    }

    @Override
    public void close() throws IOException {
        List<Throwable> failures = new ArrayList<>();
        if (kubelet != null) {
            kubelet.close();
            kubelet.unmountVolumes(); // the node goes down with its pods, as a reboot would end their tmpfs volumes
        }
        for (AutoCloseable part : new AutoCloseable[] {containerd, registry, api}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception | AssertionError e) {
                    failures.add(e);
                }
            }
        }
        List<String> mounts = mountsUnder(dir);
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        if (!mounts.isEmpty()) {
            failures.add(new AssertionError("mounts left under " + dir + ": " + mounts));
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("the node did not stop cleanly");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    private static List<String> mountsUnder(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
                .filter(m -> m.startsWith(prefix)).toList();
    }

    /** The API server's certificate (in LocalApiServer, also its client CA): what the kubelet trusts. */
    static X509Certificate serverCertificate(URI url) throws Exception {
        X509TrustManager any = new X509TrustManager() {
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
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {any}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(url.getHost(), url.getPort())) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
