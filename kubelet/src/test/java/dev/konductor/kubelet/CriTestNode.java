package dev.konductor.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.kubelet.containerd.ContainerdLayout;
import dev.konductor.kubelet.containerd.ContainerdProcess;
import dev.konductor.kubelet.containerd.ContainerdSettings;
import dev.konductor.kubelet.containerd.ManagedContainerd;
import dev.konductor.kubelet.containerd.PodNetwork;
import dev.konductor.kubelet.images.BuiltImage;
import dev.konductor.kubelet.images.BuiltinImages;
import dev.konductor.kubelet.images.ImageStore;
import dev.konductor.kubelet.registry.RegistryServer;
import dev.konductor.kubelet.runtime.ContainerRuntime;
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
 * A real node for end-to-end tests: containerd (supervised, generated config) with runc and the
 * CNI bridge, the project's own images from its registry, a LocalApiServer and the kubelet,
 * all under one temporary directory. {@link #start} skips the test (an assumption) where root,
 * containerd, runc, the CNI plugins or a static busybox are missing; {@link #close} stops every
 * part and checks that no mount is left under the directory, also after a failed start.
 */
final class CriTestNode implements AutoCloseable {

    final Path dir;
    final String nodeName;
    private RegistryServer registry;
    private ManagedContainerd containerd;
    private LocalApiServer api;
    private Kubelet kubelet;

    private CriTestNode(Path dir, String nodeName) {
        this.dir = dir;
        this.nodeName = nodeName;
    }

    /** @param dirPrefix under /tmp; @param bridge and @param podCidr unused by any other test */
    static CriTestNode start(String dirPrefix, String nodeName, String podCidr, String bridge) throws Exception {
        assumeTrue(ContainerdProcess.runningAsRoot(), "skipped: the cri runtime needs root");
        Optional<Path> binary = ContainerdProcess.findBinary();
        assumeTrue(binary.isPresent(), "skipped: containerd is not installed (apt-get install containerd)");
        Optional<Path> runc = ContainerdProcess.findRunc();
        assumeTrue(runc.isPresent(), "skipped: runc is not installed (apt-get install runc)");
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "skipped: the CNI plugins are not installed (apt-get install containernetworking-plugins)");
        Optional<List<BuiltImage>> images = BuiltinImages.build();
        assumeTrue(images.isPresent(), "skipped: no static busybox (apt-get install busybox-static)");

        CriTestNode node = new CriTestNode(Files.createTempDirectory(Path.of("/tmp"), dirPrefix), nodeName);
        try {
            ImageStore store = new ImageStore(node.dir.resolve("images"));
            images.get().forEach(store::add);
            node.registry = RegistryServer.start(store, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ContainerdSettings settings = new ContainerdSettings(new ContainerdLayout(node.dir.resolve("containerd")),
                    BuiltinImages.PAUSE, node.registry.url(), ContainerdSettings.DEFAULT_MIRRORED_HOSTS, Path.of("/usr/lib/cni"),
                    runc.get(), new PodNetwork(bridge, bridge, podCidr, List.of("10.96.0.0/12")));
            node.containerd = ManagedContainerd.start(settings, binary.get(), Duration.ofSeconds(30));
            node.api = LocalApiServer.start();
            node.kubelet = new Kubelet(node.api.client(), node.containerd.runtime(), new KubeletSettings(nodeName, Optional.of(podCidr),
                    List.of(InetAddress.getLoopbackAddress()), InetAddress.getLoopbackAddress(), 0, node.dir.resolve("kubelet"),
                    serverCertificate(URI.create(node.api.url())), "v1.32.0-konductor", KubeletSettings.ClusterDns.none()), Clock.systemUTC());
            node.kubelet.start();
            return node;
        } catch (Exception | AssertionError e) {
            node.close();
            throw e;
        }
    }

    KubernetesClient client() {
        return api.client();
    }

    ContainerRuntime runtime() {
        return containerd.runtime();
    }

    @Override
    public void close() throws IOException {
        List<Throwable> failures = new ArrayList<>();
        for (AutoCloseable part : new AutoCloseable[] {kubelet, containerd, registry, api}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception | AssertionError e) {
                    failures.add(e);
                }
            }
        }
        assertThat(mountsUnder(dir)).as("mounts left under " + dir).isEmpty();
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertThat(failures).isEmpty();
    }

    static List<String> mountsUnder(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
                .filter(m -> m.startsWith(prefix)).toList();
    }

    /** The API server's certificate (in LocalApiServer, also its client CA): what the kubelet trusts. */
    private static X509Certificate serverCertificate(URI url) throws Exception {
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
