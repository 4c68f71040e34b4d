package dev.konductor.kubelet.containerd;

import dev.konductor.kubelet.cri.CriClient;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A containerd Konductor runs for its node, with a CRI client to it: started with a generated
 * configuration, ready once CRI answers, started again after it died ({@link #restart}: the
 * containers live on under their shims, and containerd finds them again), and on close leaving
 * nothing behind (every pod removed, containerd stopped by PID, stray shims, mounts and the pod
 * bridge cleaned up). The CRI client ({@link #runtime()}) stays the same across restarts.
 */
public final class ManagedContainerd implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ManagedContainerd.class);

    private final ContainerdSettings settings;
    private final Path binary;
    private final CriClient client;
    private ContainerdProcess process; // guarded by this
    private volatile boolean closed;

    private ManagedContainerd(ContainerdSettings settings, Path binary, ContainerdProcess process, CriClient client) {
        this.settings = settings;
        this.binary = binary;
        this.process = process;
        this.client = client;
    }

    /** Starts containerd and waits (up to {@code timeout}) until its CRI service answers. */
    public static ManagedContainerd start(ContainerdSettings settings, Path binary, Duration timeout)
            throws IOException, InterruptedException {
        ContainerdProcess process = new ContainerdProcess(settings, binary);
        process.start();
        CriClient client = CriClient.connect(settings.layout().socket());
        ManagedContainerd managed = new ManagedContainerd(settings, binary, process, client);
        try {
            managed.awaitReady(process, timeout);
            return managed;
        } catch (IOException | InterruptedException | RuntimeException e) {
            managed.close();
            throw e;
        }
    }

    /**
     * Starts containerd again after it exited, and waits (up to {@code timeout}) until CRI answers.
     * A new containerd that does not come up is stopped again before this throws.
     *
     * @throws IllegalStateException if containerd still runs, or this was closed
     */
    public synchronized void restart(Duration timeout) throws IOException, InterruptedException {
        if (closed) {
            throw new IllegalStateException("containerd was stopped for good");
        }
        if (process.isAlive()) {
            throw new IllegalStateException("containerd is still running (pid " + process.pid().orElse(-1L) + ")");
        }
        process.close();
        ContainerdProcess next = new ContainerdProcess(settings, binary);
        process = next;
        next.start();
        client.resetConnectBackoff();
        try {
            awaitReady(next, timeout);
        } catch (IOException | InterruptedException | RuntimeException e) {
            next.close();
            throw e;
        }
    }

    private void awaitReady(ContainerdProcess process, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ContainerRuntime.RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (closed) {
                throw new IOException("containerd was stopped while starting");
            }
            if (!process.isAlive()) {
                throw new IOException("containerd exited at start; see " + settings.layout().log() + ":\n" + tail());
            }
            if (Files.exists(settings.layout().socket())) {
                try {
                    client.version();
                    return;
                } catch (ContainerRuntime.RuntimeException e) {
                    last = e;
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("containerd did not answer on " + settings.layout().socket() + " within " + timeout
                + (last == null ? "" : ": " + last.getMessage()));
    }

    private String tail() {
        try {
            var lines = Files.readAllLines(settings.layout().log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Gives pods a network over {@code podCidr}: writes the CNI network list (atomically, as
     * containerd watches the directory and loads it at once). Until then containerd reports
     * NetworkReady=false and no sandbox starts. Idempotent.
     */
    public synchronized void configurePodNetwork(String podCidr) throws IOException {
        ContainerdSettings configured = new ContainerdSettings(settings.layout(), settings.sandboxImage(),
                settings.registryUrl(), settings.mirroredHosts(), settings.cniBinDir(), settings.runc(),
                settings.network().withPodCidr(podCidr));
        Path file = settings.layout().dir().resolve(ContainerdConfig.cniConfListPath(configured.network()));
        String content = ContainerdConfig.cniConfList(configured);
        if (Files.exists(file) && Files.readString(file).equals(content)) {
            return;
        }
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, content);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        log.info("pod network configured podCidr={} bridge={}", podCidr, settings.network().bridge());
    }

    public ContainerRuntime runtime() {
        return client;
    }

    public ContainerdLayout layout() {
        return settings.layout();
    }

    /** Completes when the containerd running now exits, with its exit status. */
    public synchronized CompletableFuture<Integer> onExit() {
        return process.onExit();
    }

    /** The process id of the containerd running now. */
    public synchronized Optional<Long> pid() {
        return process.pid();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            stopAndClean();
        }
    }

    private void stopAndClean() {
        if (process.isAlive()) {
            try {
                int removed = RuntimeCleanup.removeAllPods(client);
                if (removed > 0) {
                    log.info("removed {} pod sandboxes before stopping containerd", removed);
                }
            } catch (RuntimeException e) {
                log.warn("cannot remove the pods before stopping containerd: {}", e.getMessage());
            }
        }
        client.close();
        process.close();
        RuntimeCleanup.afterStop(settings.layout(), settings.network().bridge());
    }
}
