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
import dev.konductor.server.supervisor.RestartDelays;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --runtime cri}: a node's containerd, started and supervised with a generated
 * configuration under {@code DATA/containerd} (its registry: the cluster's own; its pod network:
 * a CNI bridge over the node's pod CIDR, configured once the control plane has assigned one).
 *
 * <p>If containerd dies, it is started again after a delay (5 s, doubling while it keeps dying
 * within ten minutes of a restart, up to 5 minutes: {@link RestartDelays}), as a systemd unit with
 * {@code Restart=always} would be. The containers keep running meanwhile under their shims and
 * containerd finds them again; the kubelet reports the node NotReady ("container runtime is
 * down") until it answers. Only a containerd that cannot be started at all is fatal: the first
 * start failing, or {@link #MAX_FAILED_STARTS} restarts in a row. On stop, every pod of the node
 * is removed and nothing of containerd's is left running or mounted.
 */
public final class ContainerdComponent implements Component {

    private static final Logger log = LoggerFactory.getLogger(ContainerdComponent.class);
    public static final String NAME = "containerd";
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** Removing 30 pods' sandboxes took more than 10 s on two busy cores. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    static final Path CNI_BIN_DIR = Path.of("/usr/lib/cni");
    static final int MAX_FAILED_STARTS = 3;

    private final Path dataDir;
    private final List<String> podRoutes;
    private final Supplier<String> registryUrl;
    private final Set<String> dependsOn;
    private final RestartDelays delays = new RestartDelays(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(10));
    private volatile ManagedContainerd containerd;
    private volatile Monitor monitor;
    private volatile boolean stopping;
    private volatile Thread restarter;

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
                new PodNetwork("konductor", bridge(), podRoutes));
        this.monitor = monitor;
        containerd = ManagedContainerd.start(settings, binary, START_TIMEOUT);
        watch(System.nanoTime());
    }

    /** When the containerd running now exits (and we are not stopping), starts it again on a thread of its own. */
    private void watch(long startedNanos) {
        containerd.onExit().thenAccept(status -> {
            if (!stopping) {
                Duration ranFor = Duration.ofNanos(System.nanoTime() - startedNanos);
                restarter = Thread.ofVirtual().name("containerd-restart").start(() -> restart(status, ranFor));
            }
        });
    }

    private void restart(int status, Duration ranFor) {
        Duration delay = delays.afterExit(ranFor);
        log.warn("containerd exited with status {} after {}s; starting it again in {}s (containers keep running"
                + " under their shims); see {}", status, ranFor.toSeconds(), delay.toSeconds(), containerd.layout().log());
        for (int failed = 0; ; ) {
            try {
                Thread.sleep(delay);
                if (stopping) {
                    return;
                }
                long started = System.nanoTime();
                containerd.restart(START_TIMEOUT);
                log.info("containerd running again pid={}", containerd.pid().orElse(-1L));
                watch(started);
                return;
            } catch (InterruptedException | IllegalStateException e) {
                return; // stopping
            } catch (IOException | RuntimeException e) {
                if (stopping) {
                    return;
                }
                failed++;
                if (failed >= MAX_FAILED_STARTS) {
                    monitor.died(new IllegalStateException("containerd cannot be started again (" + failed
                            + " attempts): " + e.getMessage()));
                    return;
                }
                delay = delays.afterFailedStart();
                log.warn("containerd did not start again: {}; next attempt in {}s", e.getMessage(), delay.toSeconds());
            }
        }
    }

    /** One bridge per data directory, so that two clusters on one machine never share one. */
    static String bridgeName(Path containerdDir) {
        String digest = Digests.sha256(containerdDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
        return "knd" + digest.substring("sha256:".length(), "sha256:".length() + 8);
    }

    /** The CNI bridge this node's pods are attached to. */
    public String bridge() {
        return bridgeName(dataDir.resolve("containerd"));
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

    /** Stopping removes every pod sandbox first (a network namespace, mounts and a shim each). */
    @Override
    public Optional<Duration> stopTimeout() {
        return Optional.of(STOP_TIMEOUT);
    }

    @Override
    public void stop() {
        stopping = true;
        Thread pending = restarter;
        if (pending != null) {
            pending.interrupt();
        }
        if (containerd != null) {
            containerd.close();
        }
    }
}
