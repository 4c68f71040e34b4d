package dev.konductor.kubelet.containerd;

import dev.konductor.kubelet.volumes.SystemMounter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A containerd that Konductor starts as its child, with a configuration it generates, its log
 * in {@code containerd.log} and its PID in {@code containerd.pid}; stopped by PID (SIGTERM, then
 * SIGKILL). A containerd left running by a Konductor that was killed is recognised by its PID
 * file and command line, and stopped before a new one starts.
 */
public final class ContainerdProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ContainerdProcess.class);
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ContainerdSettings settings;
    private final Path binary;
    private Process process; // guarded by this

    public ContainerdProcess(ContainerdSettings settings, Path binary) {
        this.settings = settings;
        this.binary = binary;
    }

    /** The containerd binary on this machine, if installed. */
    public static Optional<Path> findBinary() {
        for (String dir : new String[] {"/usr/bin", "/usr/local/bin", "/usr/sbin"}) {
            Path candidate = Path.of(dir, "containerd");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** runc on this machine, if installed. */
    public static Optional<Path> findRunc() {
        for (String dir : new String[] {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
            Path candidate = Path.of(dir, "runc");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public ContainerdLayout layout() {
        return settings.layout();
    }

    /** Writes the configuration and starts containerd; returns once the process runs (not yet serving). */
    public synchronized void start() throws IOException {
        ContainerdLayout layout = settings.layout();
        Files.createDirectories(layout.dir());
        stopStale(layout);
        keepStateInMemory(layout);
        for (Map.Entry<String, String> file : ContainerdConfig.files(settings).entrySet()) {
            Path path = layout.dir().resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
        }
        Files.createDirectories(layout.cniIpam());
        Files.deleteIfExists(layout.socket());
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "--config", layout.config().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log().toFile()));
        // runc, the shims and the CNI plugins are found through PATH; make sure the system directories are on it.
        String path = builder.environment().getOrDefault("PATH", "");
        builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                + (path.isEmpty() ? "" : ":" + path));
        process = builder.start();
        process.getOutputStream().close();
        Files.writeString(layout.pidFile(), Long.toString(process.pid()));
        log.info("started containerd pid={} config={} log={}", process.pid(), layout.config(), layout.log());
    }

    /**
     * containerd's state directory (the tasks' bundles, runc's state, the sandboxes' shm and
     * network namespace mounts) is meant to live in memory, as /run/containerd does on a standard
     * host. On disk every container start creates and deletes dozens of files there. A tmpfs
     * mounted by an earlier start is kept: the shims of a containerd that died or was left behind
     * still serve from it. So is a state on disk that shims still serve from (pods left running
     * by a Konductor from before this change); it moves to memory after the next clean stop.
     * Everything under the layout's directory is unmounted at the end ({@link RuntimeCleanup#afterStop}).
     */
    private static void keepStateInMemory(ContainerdLayout layout) throws IOException {
        SystemMounter mounter = new SystemMounter();
        Files.createDirectories(layout.state());
        if (mounter.isMountPoint(layout.state())) {
            return;
        }
        if (!RuntimeCleanup.shims(layout.socket()).isEmpty()) {
            log.info("containerd keeps its state on disk this time: shims of an earlier containerd still serve from {}",
                    layout.state());
            return;
        }
        try {
            mounter.mountPrivateTmpfs(layout.state());
        } catch (IOException e) {
            log.warn("containerd keeps its state on disk: cannot mount a tmpfs on {}: {}", layout.state(), e.getMessage());
        }
    }

    /** Completes when containerd exits, with its exit status. */
    public synchronized CompletableFuture<Integer> onExit() {
        if (process == null) {
            throw new IllegalStateException("containerd was not started");
        }
        return process.onExit().thenApply(Process::exitValue);
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized Optional<Long> pid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }

    /** SIGTERM, then SIGKILL after {@link #STOP_GRACE}; idempotent. */
    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        stop(process.toHandle());
        process = null;
        try {
            Files.deleteIfExists(settings.layout().pidFile());
        } catch (IOException e) {
            log.warn("cannot remove {}", settings.layout().pidFile(), e);
        }
    }

    private static void stop(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("containerd pid={} did not stop within {}; killing it", handle.pid(), STOP_GRACE);
            handle.destroyForcibly();
            handle.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handle.destroyForcibly();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        log.info("stopped containerd pid={}", handle.pid());
    }

    /** A containerd from an earlier run of this data directory that outlived its Konductor. */
    private static void stopStale(ContainerdLayout layout) {
        Path pidFile = layout.pidFile();
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isPresent() && commandLine(pid).contains(layout.config().toString())) {
                log.warn("stopping containerd pid={} left running by an earlier server", pid);
                stop(handle.get());
            }
            Files.deleteIfExists(pidFile);
        } catch (IOException | NumberFormatException e) {
            log.warn("ignoring unreadable {}", pidFile, e);
        }
    }

    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether this process runs as root (containerd, runc and CNI need it). */
    public static boolean runningAsRoot() {
        try {
            return Files.readString(Path.of("/proc/self/status")).lines()
                    .anyMatch(line -> line.startsWith("Uid:") && line.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }
}
