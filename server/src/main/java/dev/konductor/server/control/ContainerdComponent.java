package dev.konductor.server.control;

import dev.konductor.kubelet.containerd.ContainerdLayout;
import dev.konductor.kubelet.containerd.ContainerdProcess;
import dev.konductor.kubelet.containerd.ContainerdSettings;
import dev.konductor.kubelet.containerd.ManagedContainerd;
import dev.konductor.kubelet.containerd.PodNetwork;
import dev.konductor.kubelet.images.BuiltinImages;
import dev.konductor.kubelet.images.Digests;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.server.supervisor.Component;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code --runtime cri}: a node's containerd, started and supervised with a generated
 * configuration under {@code DATA/containerd} (its registry: the cluster's own; its pod network:
 * a CNI bridge over the node's pod CIDR, configured once the control plane has assigned one).
 * If containerd dies, the process stops. On stop, every pod of the node is removed and nothing
 * of containerd's is left running or mounted.
 */
public final class ContainerdComponent implements Component {

    public static final String NAME = "containerd";
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Path CNI_BIN_DIR = Path.of("/usr/lib/cni");

    private final Path dataDir;
    private final List<String> podRoutes;
    private final Supplier<String> registryUrl;
    private final Set<String> dependsOn;
    private volatile ManagedContainerd containerd;
    private volatile boolean stopping;

    /**
     * @param podRoutes   the destinations pods may reach beyond their own network (service CIDR,
     *                    cluster CIDR, node address); never a default route
     * @param registryUrl the cluster registry, every image's only source; asked once the
     *                    components in {@code dependsOn} are ready
     */
    public ContainerdComponent(Path dataDir, List<String> podRoutes, Supplier<String> registryUrl, Set<String> dependsOn) {
        this.dataDir = dataDir;
        this.podRoutes = List.copyOf(podRoutes);
        this.registryUrl = registryUrl;
        this.dependsOn = Set.copyOf(dependsOn);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> dependsOn() {
        return dependsOn;
    }

    @Override
    public void start(Monitor monitor) throws Exception {
        if (!ContainerdProcess.runningAsRoot()) {
            throw new IllegalStateException("--runtime cri needs root (containerd, runc and CNI do)");
        }
        Path binary = ContainerdProcess.findBinary().orElseThrow(() -> new IllegalStateException(
                "--runtime cri needs containerd: apt-get install containerd runc containernetworking-plugins"));
        Path runc = ContainerdProcess.findRunc().orElseThrow(() -> new IllegalStateException(
                "--runtime cri needs runc: apt-get install runc"));
        if (!Files.isExecutable(CNI_BIN_DIR.resolve("bridge"))) {
            throw new IllegalStateException("--runtime cri needs the CNI plugins in " + CNI_BIN_DIR
                    + ": apt-get install containernetworking-plugins");
        }
        ContainerdLayout layout = new ContainerdLayout(dataDir.resolve("containerd"));
        ContainerdSettings settings = new ContainerdSettings(layout, BuiltinImages.PAUSE, registryUrl.get(),
                ContainerdSettings.DEFAULT_MIRRORED_HOSTS, CNI_BIN_DIR, runc,
                new PodNetwork("konductor", bridgeName(layout.dir()), podRoutes));
        containerd = ManagedContainerd.start(settings, binary, START_TIMEOUT);
        containerd.onExit().thenAccept(status -> {
            if (!stopping) {
                monitor.died(new IllegalStateException("containerd exited with status " + status + "; see "
                        + layout.log()));
            }
        });
    }

    /** One bridge per data directory, so that two clusters on one machine never share one. */
    static String bridgeName(Path containerdDir) {
        String digest = Digests.sha256(containerdDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
        return "knd" + digest.substring("sha256:".length(), "sha256:".length() + 8);
    }

    /** Gives pods addresses from {@code podCidr} (see {@link ManagedContainerd#configurePodNetwork}). */
    public void configurePodNetwork(String podCidr) throws java.io.IOException {
        containerd.configurePodNetwork(podCidr);
    }

    public ContainerRuntime runtime() {
        return containerd.runtime();
    }

    @Override
    public boolean ready() {
        return containerd != null;
    }

    @Override
    public void stop() {
        stopping = true;
        if (containerd != null) {
            containerd.close();
        }
    }
}
