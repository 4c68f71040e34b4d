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
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real node end to end: containerd (supervised, generated config) with runc and the CNI
 * bridge, the project's own images served by its registry, a LocalApiServer and the kubelet.
 * Needs root, containerd, runc, the CNI plugins and a static busybox; skipped otherwise. Every
 * process and mount it makes is removed afterwards, also when a test fails.
 */
class CriNodeEndToEndTest {

    private static final String POD_CIDR = "10.244.251.0/24";
    private static final String BRIDGE = "knd-e2e";

    private static Path dir;
    private static RegistryServer registry;
    private static ManagedContainerd containerd;
    private static LocalApiServer api;
    private static Kubelet kubelet;
    private static KubernetesClient client;

    @BeforeAll
    static void startNode() throws Exception {
        assumeTrue(ContainerdProcess.runningAsRoot(), "skipped: the cri runtime needs root");
        Optional<Path> binary = ContainerdProcess.findBinary();
        assumeTrue(binary.isPresent(), "skipped: containerd is not installed (apt-get install containerd)");
        Optional<Path> runc = ContainerdProcess.findRunc();
        assumeTrue(runc.isPresent(), "skipped: runc is not installed (apt-get install runc)");
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "skipped: the CNI plugins are not installed (apt-get install containernetworking-plugins)");
        Optional<List<BuiltImage>> images = BuiltinImages.build();
        assumeTrue(images.isPresent(), "skipped: no static busybox (apt-get install busybox-static)");

        dir = Files.createTempDirectory(Path.of("/tmp"), "kcri-e2e");
        try {
            ImageStore store = new ImageStore(dir.resolve("images"));
            images.get().forEach(store::add);
            registry = RegistryServer.start(store, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ContainerdSettings settings = new ContainerdSettings(new ContainerdLayout(dir.resolve("containerd")),
                    BuiltinImages.PAUSE, registry.url(), ContainerdSettings.DEFAULT_MIRRORED_HOSTS, Path.of("/usr/lib/cni"),
                    runc.get(), new PodNetwork("konductor-e2e", BRIDGE, POD_CIDR, List.of("10.96.0.0/12")));
            containerd = ManagedContainerd.start(settings, binary.get(), Duration.ofSeconds(30));
            api = LocalApiServer.start();
            client = api.client();
            kubelet = new Kubelet(client, containerd.runtime(), new KubeletSettings("e2e-node", Optional.of(POD_CIDR),
                    List.of(InetAddress.getLoopbackAddress()), InetAddress.getLoopbackAddress(), 0, dir.resolve("kubelet"),
                    serverCertificate(URI.create(api.url())), "v1.32.0-konductor", KubeletSettings.ClusterDns.none()), Clock.systemUTC());
            kubelet.start();
        } catch (Exception | AssertionError e) {
            stopNode();
            throw e;
        }
    }

    @AfterAll
    static void stopNode() throws IOException {
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
        if (dir != null) {
            assertThat(mountsUnder(dir)).as("mounts left under " + dir).isEmpty();
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void runsABusyboxPodAndServesItsLogThenStopsItGracefully() {
        Await.until(Duration.ofSeconds(30), "node Ready", () -> isReady(client.nodes().withName("e2e-node").get()));
        client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withNodeName("e2e-node").withTerminationGracePeriodSeconds(5L)
                .addNewContainer().withName("web").withImage("busybox")
                .withCommand("sh", "-c", "echo hello; sleep 3600").endContainer()
                .endSpec().build()).create();

        Await.until(Duration.ofSeconds(60), "pod web Running", () -> "Running".equals(phase("web")));
        Pod pod = client.pods().inNamespace("default").withName("web").get();
        assertThat(pod.getStatus().getPodIP()).startsWith("10.244.251.");
        assertThat(pod.getStatus().getHostIP()).isEqualTo("127.0.0.1");
        ContainerStatus status = pod.getStatus().getContainerStatuses().getFirst();
        assertThat(status.getReady()).isTrue();
        assertThat(status.getStarted()).isTrue();
        assertThat(status.getRestartCount()).isZero();
        assertThat(status.getImage()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(status.getImageID()).startsWith("docker.io/library/busybox@sha256:");
        assertThat(status.getContainerID()).startsWith("containerd://");
        assertThat(status.getState().getRunning().getStartedAt()).isNotNull();
        assertThat(pod.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));

        Await.until("log says hello", () -> client.pods().inNamespace("default").withName("web").getLog().equals("hello\n"));
        assertThat(reasons("web")).contains("Pulling", "Pulled", "Created", "Started");

        long started = System.nanoTime();
        client.pods().inNamespace("default").withName("web").delete();
        Await.until(Duration.ofSeconds(30), "pod web gone", () -> client.pods().inNamespace("default").withName("web").get() == null);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        assertThat(reasons("web")).contains("Killing");
        Await.until("sandbox removed", () -> containerd.runtime().listPodSandboxes(
                dev.konductor.kubelet.cri.v1.PodSandboxFilter.getDefaultInstance()).isEmpty());
    }

    @Test
    void restartsACrashingContainerWithBackOff() {
        Await.until(Duration.ofSeconds(30), "node Ready", () -> isReady(client.nodes().withName("e2e-node").get()));
        client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("crash").endMetadata()
                .withNewSpec().withNodeName("e2e-node").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("crash").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "echo crashing; exit 3").endContainer()
                .endSpec().build()).create();

        Await.until(Duration.ofSeconds(60), "CrashLoopBackOff", () -> {
            ContainerStatus s = containerStatus("crash");
            return s != null && s.getState().getWaiting() != null
                    && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason());
        });
        ContainerStatus status = containerStatus("crash");
        assertThat(status.getRestartCount()).isGreaterThanOrEqualTo(1);
        assertThat(status.getState().getWaiting().getMessage()).startsWith("back-off 10s restarting failed container=crash pod=crash_default(");
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(phase("crash")).isEqualTo("Running");
        assertThat(reasons("crash")).contains("BackOff");
        assertThat(client.pods().inNamespace("default").withName("crash").getLog()).isEqualTo("crashing\n");

        client.pods().inNamespace("default").withName("crash").delete();
        Await.until(Duration.ofSeconds(30), "pod crash gone", () -> client.pods().inNamespace("default").withName("crash").get() == null);
    }

    private static String phase(String name) {
        Pod pod = client.pods().inNamespace("default").withName(name).get();
        return pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static ContainerStatus containerStatus(String name) {
        Pod pod = client.pods().inNamespace("default").withName(name).get();
        return pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                || pod.getStatus().getContainerStatuses().isEmpty() ? null : pod.getStatus().getContainerStatuses().getFirst();
    }

    private static List<String> reasons(String podName) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> podName.equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
    }

    private static boolean isReady(Node node) {
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    private static List<String> mountsUnder(Path dir) throws IOException {
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
