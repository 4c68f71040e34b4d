package dev.konductor.kubelet.node;

import dev.konductor.kubelet.cri.v1.FilesystemUsage;
import dev.konductor.kubelet.cri.v1.VersionResponse;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the container runtime how it is, on a thread of its own, so that a runtime that hangs
 * (rather than refusing connections) never holds up the node's lease or status: its Status every
 * {@link #STATUS_PERIOD}, its version, images and image filesystem every {@link #INFO_PERIOD}.
 * A call that fails says "container runtime is down" at once; so does a call that has not come
 * back within {@link #STALE} (upstream's kubelet says the same once its last runtime sync is older
 * than its threshold).
 */
final class RuntimeProbe implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RuntimeProbe.class);
    static final Duration STATUS_PERIOD = Duration.ofSeconds(1);
    /**
     * Until the runtime is first ready (its network configured, typically), it is asked this
     * often, as upstream's kubelet checks every 100 ms at its start so the node turns Ready as soon
     * as it can ({@code fastStatusUpdateOnce}).
     */
    static final Duration STARTUP_STATUS_PERIOD = Duration.ofMillis(100);
    static final Duration INFO_PERIOD = Duration.ofSeconds(10);
    static final Duration STALE = Duration.ofSeconds(10);

    private final ContainerRuntime runtime;
    private final Duration stale;
    private final AtomicLong callStartedNanos = new AtomicLong(); // 0: no call under way
    private volatile Readiness readiness = Readiness.notReady("container runtime status check may not have completed yet");
    private volatile NodeStatuses.RuntimeInfo info = new NodeStatuses.RuntimeInfo("", List.of());
    private volatile Optional<Path> imageFilesystem = Optional.empty();
    private volatile boolean closed;
    private Thread thread;

    RuntimeProbe(ContainerRuntime runtime) {
        this(runtime, STALE);
    }

    RuntimeProbe(ContainerRuntime runtime, Duration stale) {
        this.runtime = runtime;
        this.stale = stale;
    }

    /** Asks everything once, on the caller's thread (before the node registers). */
    void refresh() {
        checkStatus();
        refreshInfo();
    }

    void start() {
        thread = Thread.ofVirtual().name("runtime-probe").start(this::run);
    }

    private void run() {
        long nextInfo = System.nanoTime() + INFO_PERIOD.toNanos();
        boolean everReady = readiness.ready();
        while (!closed) {
            try {
                Thread.sleep(everReady ? STATUS_PERIOD : STARTUP_STATUS_PERIOD);
            } catch (InterruptedException e) {
                return;
            }
            checkStatus();
            everReady |= readiness.ready();
            if (System.nanoTime() - nextInfo >= 0) {
                nextInfo = System.nanoTime() + INFO_PERIOD.toNanos();
                refreshInfo();
            }
        }
    }

    /** The runtime's part of the node's readiness, as last found (or down, if a call hangs). */
    Readiness readiness() {
        long started = callStartedNanos.get();
        if (started != 0 && System.nanoTime() - started > stale.toNanos()) {
            return Readiness.notReady(RuntimeReadiness.RUNTIME_DOWN);
        }
        return readiness;
    }

    /** The runtime's version and images, as last found. */
    NodeStatuses.RuntimeInfo info() {
        return info;
    }

    /** Where the runtime keeps its images, if it said. */
    Optional<Path> imageFilesystem() {
        return imageFilesystem;
    }

    private void checkStatus() {
        callStartedNanos.set(System.nanoTime());
        try {
            readiness = RuntimeReadiness.of(runtime.status());
        } catch (ContainerRuntime.RuntimeException e) {
            log.debug("container runtime status failed: {}", e.getMessage());
            readiness = Readiness.notReady(RuntimeReadiness.RUNTIME_DOWN);
        } finally {
            callStartedNanos.set(0);
        }
    }

    /** Version, images and image filesystem; when the runtime is away, what it said last stays. */
    private void refreshInfo() {
        callStartedNanos.set(System.nanoTime());
        try {
            VersionResponse version = runtime.version();
            info = new NodeStatuses.RuntimeInfo(version.getRuntimeName() + "://" + version.getRuntimeVersion(),
                    NodeImages.of(runtime.listImages()));
            List<FilesystemUsage> filesystems = runtime.imageFilesystems();
            if (!filesystems.isEmpty()) {
                imageFilesystem = Optional.of(Path.of(filesystems.getFirst().getFsId().getMountpoint()));
            }
        } catch (ContainerRuntime.RuntimeException e) {
            log.debug("cannot read the container runtime's version and images: {}", e.getMessage());
        } finally {
            callStartedNanos.set(0);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
