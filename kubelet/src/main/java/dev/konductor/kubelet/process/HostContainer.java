package dev.konductor.kubelet.process;

import dev.konductor.kubelet.cri.v1.Container;
import dev.konductor.kubelet.cri.v1.ContainerConfig;
import dev.konductor.kubelet.cri.v1.ContainerState;
import dev.konductor.kubelet.cri.v1.ContainerStatus;
import dev.konductor.kubelet.cri.v1.ImageSpec;
import dev.konductor.kubelet.process.sessions.TerminalSize;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One container of the process runtime: created (its directory and launch planned), running (a
 * host process leading its own process group, its output pumped into the CRI log), exited (exit
 * code, times, reason, as containerd reports them). When the main process ends, whatever is left
 * of its group is killed, as a container's processes end with its init; so are the container's
 * exec sessions. Thread-safe.
 */
final class HostContainer {

    private static final Logger log = LoggerFactory.getLogger(HostContainer.class);
    /** How long output may still drain after the main process ended, before the log is closed. */
    static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);
    /** How long a SIGKILLed process may take to be reaped. */
    static final Duration KILL_WAIT = Duration.ofSeconds(10);
    /** The exit code and reason containerd gives a container whose process could not be started. */
    static final int START_ERROR_CODE = 128;

    enum Phase { CREATED, RUNNING, EXITED }

    private final String id;
    private final String sandboxId;
    private final ContainerConfig config;
    private final Launch launch;
    private final Path directory;
    private final Path logPath;
    private final Instant createdAt;
    private final Clock clock;
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private final Set<Process> execs = ConcurrentHashMap.newKeySet();
    // guarded by this
    private Phase phase = Phase.CREATED;
    private Instant startedAt;
    private Instant finishedAt;
    private int exitCode;
    private String reason = "";
    private String message = "";
    private Process process;
    private OutputPump pump;
    private OutputStream stdin;

    HostContainer(String id, String sandboxId, ContainerConfig config, Launch launch, Path directory, Path logPath,
                  Clock clock) {
        this.id = id;
        this.sandboxId = sandboxId;
        this.config = config;
        this.launch = launch;
        this.directory = directory;
        this.logPath = logPath;
        this.clock = clock;
        this.createdAt = clock.instant();
    }

    String id() {
        return id;
    }

    String sandboxId() {
        return sandboxId;
    }

    ContainerConfig config() {
        return config;
    }

    Launch launch() {
        return launch;
    }

    Path directory() {
        return directory;
    }

    synchronized Phase phase() {
        return phase;
    }

    /** The main process's pid while it runs. */
    synchronized Optional<Long> pid() {
        return phase == Phase.RUNNING ? Optional.of(process.pid()) : Optional.empty();
    }

    /**
     * Starts the main process. A program that cannot be found or run leaves the container exited
     * with containerd's StartError (128) and throws, as CRI's StartContainer fails.
     */
    void start(HostLauncher launcher, Processes processes) {
        synchronized (this) {
            if (phase != Phase.CREATED) {
                throw RuntimeErrors.failed("container " + id + " is " + phase.name().toLowerCase(Locale.ROOT)
                        + ", not created");
            }
            try {
                Files.createDirectories(launch.workingDir());
                Path program = processes.lookup(launch);
                OutputStream logFile = Files.newOutputStream(logPath, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                Optional<TerminalSize> terminal = config.getTty()
                        ? Optional.of(TerminalSize.DEFAULT) : Optional.empty();
                try {
                    process = launcher.start(launch, program, config.getStdin(), terminal);
                } catch (IOException e) {
                    logFile.close();
                    throw e;
                }
                pump = new OutputPump(logFile, clock);
                pump.start("stdout", process.getInputStream());
                if (terminal.isEmpty()) {
                    pump.start("stderr", process.getErrorStream());
                }
                stdin = config.getStdin() ? process.getOutputStream() : null;
                phase = Phase.RUNNING;
                startedAt = clock.instant();
            } catch (Programs.NotFound | IOException e) {
                String why = e instanceof Programs.NotFound ? e.getMessage() : "exec: \"" + launch.argv().getFirst()
                        + "\": " + e.getMessage();
                exitStartError("failed to start the container's process: " + why);
                throw RuntimeErrors.failed(message, e);
            }
        }
        long pid = process.pid();
        processes.started(id, pid);
        Process started = process;
        Thread.ofVirtual().name("container-" + id.substring(0, 12)).start(() -> awaitExit(started, processes));
    }

    private void exitStartError(String why) {
        phase = Phase.EXITED;
        exitCode = START_ERROR_CODE;
        reason = "StartError";
        message = why;
        finishedAt = clock.instant();
        exited.complete(exitCode);
    }

    private void awaitExit(Process main, Processes processes) {
        int code;
        try {
            code = main.waitFor();
        } catch (InterruptedException e) {
            return; // the runtime is closing; close() kills the rest
        }
        Instant at = clock.instant();
        // A container's processes end with its main one (its PID namespace would go): what is left
        // of its group goes now. The group id is the main pid, which Linux does not hand out again
        // while the group still has members.
        processes.tree().signalGroup(main.pid(), Signals.SIGKILL);
        execs.forEach(e -> processes.tree().signal(e.pid(), Signals.SIGKILL));
        try {
            pump.awaitEnd(OUTPUT_DRAIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            phase = Phase.EXITED;
            exitCode = code;
            reason = code == 0 ? "Completed" : "Error";
            finishedAt = at;
            closeStdin();
        }
        processes.ended(id);
        exited.complete(code);
        log.debug("container exited id={} exitCode={}", id, code);
    }

    /**
     * Stops the container as CRI's StopContainer: SIGTERM to its processes, up to
     * {@code timeoutSeconds} for them to end, then SIGKILL. Returns once it has exited.
     */
    void stop(long timeoutSeconds, ProcessTree tree) {
        long pid;
        synchronized (this) {
            if (phase != Phase.RUNNING) {
                return;
            }
            pid = process.pid();
        }
        if (timeoutSeconds > 0) {
            tree.signal(pid, Signals.SIGTERM);
            if (awaitExited(Duration.ofSeconds(timeoutSeconds))) {
                return;
            }
            log.info("container did not stop within {}s, killing it id={} pid={}", timeoutSeconds, id, pid);
        }
        tree.signal(pid, Signals.SIGKILL);
        if (!awaitExited(KILL_WAIT)) {
            log.warn("container still running after SIGKILL id={} pid={}", id, pid);
        }
    }

    /** Whether the container has exited within {@code timeout}. */
    boolean awaitExited(Duration timeout) {
        try {
            exited.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    CompletableFuture<Integer> exited() {
        return exited;
    }

    /**
     * Starts {@code command} in the running container's environment and directory, in a process
     * group of its own that is killed with the container (an exec session, a probe, a hook).
     */
    Process exec(List<String> command, boolean withStdin, Optional<TerminalSize> terminal,
                 HostLauncher launcher, Processes processes) throws Programs.NotFound, IOException {
        synchronized (this) {
            if (phase != Phase.RUNNING) {
                throw new IOException("container " + id + " is not running");
            }
        }
        Launch exec = launch.withCommand(command);
        if (terminal.isPresent()) {
            exec = exec.withEnv("TERM", exec.env().getOrDefault("TERM", "xterm"));
        }
        Process started = launcher.start(exec, processes.lookup(exec), withStdin, terminal);
        execs.add(started);
        started.onExit().thenRun(() -> execs.remove(started));
        return started;
    }

    /** Output from now on goes to {@code listener} too, until the container exits or it says stop. */
    synchronized boolean attach(OutputPump.Listener listener) {
        if (phase != Phase.RUNNING) {
            return false;
        }
        pump.attach(listener);
        return true;
    }

    synchronized void detach(OutputPump.Listener listener) {
        if (pump != null) {
            pump.detach(listener);
        }
    }

    /** The main process's stdin, when the container was created with {@code stdin: true} and still runs. */
    synchronized Optional<OutputStream> stdin() {
        return phase == Phase.RUNNING ? Optional.ofNullable(stdin) : Optional.empty();
    }

    /** Ends the main process's stdin (an attach session with {@code stdinOnce} is over). */
    synchronized void closeStdin() {
        if (stdin != null) {
            try {
                stdin.close();
            } catch (IOException e) {
                log.debug("cannot close stdin of container id={}: {}", id, e.getMessage());
            }
            stdin = null;
        }
    }

    synchronized ContainerState state() {
        return switch (phase) {
            case CREATED -> ContainerState.CONTAINER_CREATED;
            case RUNNING -> ContainerState.CONTAINER_RUNNING;
            case EXITED -> ContainerState.CONTAINER_EXITED;
        };
    }

    /** CRI's ListContainers entry. */
    Container summary() {
        return Container.newBuilder().setId(id).setPodSandboxId(sandboxId).setMetadata(config.getMetadata())
                .setImage(image()).setImageRef(launch.image().imageRef()).setState(state())
                .setCreatedAt(nanos(createdAt)).putAllLabels(config.getLabelsMap())
                .putAllAnnotations(config.getAnnotationsMap()).build();
    }

    /** CRI's ContainerStatus. */
    synchronized ContainerStatus status() {
        ContainerStatus.Builder status = ContainerStatus.newBuilder().setId(id).setMetadata(config.getMetadata())
                .setState(state()).setCreatedAt(nanos(createdAt)).setImage(image())
                .setImageRef(launch.image().imageRef()).setExitCode(exitCode).setReason(reason).setMessage(message)
                .putAllLabels(config.getLabelsMap()).putAllAnnotations(config.getAnnotationsMap())
                .addAllMounts(config.getMountsList()).setLogPath(logPath.toString());
        if (startedAt != null) {
            status.setStartedAt(nanos(startedAt));
        }
        if (finishedAt != null) {
            status.setFinishedAt(nanos(finishedAt));
        }
        return status.build();
    }

    private ImageSpec image() {
        return ImageSpec.newBuilder().setImage(launch.image().reference()).build();
    }

    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
