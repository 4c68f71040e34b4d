package dev.konductor.kubelet;

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
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The real node each containerd end-to-end test class of this module runs one of (its own, so
 * classes may run side by side): the project's images in
 * its registry, a supervised containerd (generated config) with runc and a CNI bridge, a
 * LocalApiServer, the kubelet (which a test may stop and start again, as a restarted node agent
 * would be), and a kubeconfig for the real kubectl, all under one {@code /tmp} directory.
 * {@link #start} skips the test class (an assumption) where root, containerd, runc, the CNI
 * plugins or a static busybox are missing, and returns once the node is Ready. {@link #close}
 * stops every part, also after a failed start, unmounts what a failed test left, removes the
 * directory, and fails if a mount was left behind.
 */
final class CriTestNode implements AutoCloseable {

    private final Path dir;
    private final String nodeName;
    private final String podCidr;
    private RegistryServer registry;
    private ManagedContainerd containerd;
    private LocalApiServer api;
    private Kubelet kubelet;

    private CriTestNode(Path dir, String nodeName, String podCidr) {
        this.dir = dir;
        this.nodeName = nodeName;
        this.podCidr = podCidr;
    }

    /**
     * Starts a node named {@code nodeName} whose pods take addresses from {@code podCidr} on
     * bridge {@code bridge} (both unused by any other test); its files live in a fresh
     * {@code /tmp/PREFIX*} directory.
     */
    static CriTestNode start(String dirPrefix, String nodeName, String podCidr, String bridge) throws Exception {
        Optional<String> missing = unavailable();
        assumeTrue(missing.isEmpty(), () -> "skipped: " + missing.orElseThrow());
        Optional<List<BuiltImage>> images = BuiltinImages.build();
        assumeTrue(images.isPresent(), "skipped: no static busybox (apt-get install busybox-static)");
        CriTestNode node = new CriTestNode(Files.createTempDirectory(Path.of("/tmp"), dirPrefix), nodeName, podCidr);
        try {
            node.startParts(images.get(), bridge);
            return node;
        } catch (Exception | AssertionError e) {
            node.close();
            throw e;
        }
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

    private void startParts(List<BuiltImage> images, String bridge) throws Exception {
        ImageStore store = new ImageStore(dir.resolve("images"));
        images.forEach(store::add);
        registry = RegistryServer.start(store, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ContainerdSettings settings = new ContainerdSettings(new ContainerdLayout(dir.resolve("containerd")),
                BuiltinImages.PAUSE, registry.url(), ContainerdSettings.DEFAULT_MIRRORED_HOSTS, Path.of("/usr/lib/cni"),
                ContainerdProcess.findRunc().orElseThrow(), new PodNetwork(bridge, bridge, podCidr, List.of("10.96.0.0/12")));
        containerd = ManagedContainerd.start(settings, ContainerdProcess.findBinary().orElseThrow(), Duration.ofSeconds(30));
        api = LocalApiServer.start();
        startKubelet();
        api.writeKubeconfig(kubeconfig());
        Await.until(Duration.ofSeconds(90), "node " + nodeName + " Ready", () -> isReady(client().nodes().withName(nodeName).get()));
    }

    /** Starts a kubelet for this node (again, after {@link #stopKubelet}: what it finds in the runtime and the API is its to pick up). */
    void startKubelet() throws Exception {
        kubelet = new Kubelet(api.client(), containerd.runtime(), new KubeletSettings(nodeName, Optional.of(podCidr),
                List.of(InetAddress.getLoopbackAddress()), InetAddress.getLoopbackAddress(), 0, kubeletRoot(),
                ServerCertificates.of(URI.create(api.url())), "v1.32.0-konductor", KubeletSettings.ClusterDns.none()),
                Clock.systemUTC());
        kubelet.start();
    }

    /** Stops the kubelet as a node agent that goes away: its containers, volumes and the API are left as they are. */
    void stopKubelet() {
        kubelet.close();
        kubelet = null;
    }

    Path dir() {
        return dir;
    }

    String nodeName() {
        return nodeName;
    }

    /** The kubelet's root directory: pod volumes under {@code pods/<uid>}, pod logs under {@code pods/<ns>_<name>_<uid>}. */
    Path kubeletRoot() {
        return dir.resolve("kubelet");
    }

    /** A kubeconfig for the admin (a bearer token, the server's certificate not checked). */
    Path kubeconfig() {
        return dir.resolve("kubeconfig.yaml");
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
        // The node goes down with its pods, as a reboot would end their tmpfs volumes.
        AutoCloseable volumes = kubelet == null ? null : kubelet::unmountVolumes;
        for (AutoCloseable part : new AutoCloseable[] {kubelet, volumes, containerd, registry, api}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception | AssertionError e) {
                    failures.add(e);
                }
            }
        }
        List<String> left = mountsUnder(dir);
        left.forEach(CriTestNode::unmount); // a failed test must not leave the machine worse
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        if (!left.isEmpty()) {
            failures.add(new AssertionError("mounts left under " + dir + ": " + left));
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("the node did not stop cleanly");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    /** Mount points at or below {@code under}. */
    static List<String> mountsUnder(Path under) throws IOException {
        String prefix = under.toAbsolutePath().toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
                .filter(m -> m.equals(prefix) || m.startsWith(prefix + "/")).toList();
    }

    static boolean isReady(Node node) {
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    private static void unmount(String mountPoint) {
        try {
            new ProcessBuilder("umount", "-l", mountPoint).inheritIO().start().waitFor();
        } catch (IOException e) {
            // reported by the assertion on what was left
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
