package dev.konductor.server.local;

import dev.konductor.server.kubeconfig.Kubeconfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

/**
 * Waits for a freshly started server to be usable: its kubeconfig names the expected port and
 * {@code /readyz}, asked with that kubeconfig's credentials, answers 200. Gives up early when the
 * process exits, which is how a busy port or a broken data directory shows.
 */
public final class StartupWait {

    /** How the wait ended. */
    public sealed interface Outcome {
        record Ready(Duration elapsed) implements Outcome {
        }

        /** The process ended before it was ready. */
        record Exited() implements Outcome {
        }

        record TimedOut(String lastSeen) implements Outcome {
        }
    }

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Path kubeconfigFile;
    private final int expectedPort;
    private final boolean requireReadyNode;

    public StartupWait(Path kubeconfigFile, int expectedPort) {
        this(kubeconfigFile, expectedPort, false);
    }

    /** @param requireReadyNode wait for a Ready node too (the server runs one) */
    public StartupWait(Path kubeconfigFile, int expectedPort, boolean requireReadyNode) {
        this.kubeconfigFile = kubeconfigFile;
        this.expectedPort = expectedPort;
        this.requireReadyNode = requireReadyNode;
    }

    /** Polls until the server is ready, {@code process} exits, or {@code timeout} passes. */
    public Outcome await(ProcessHandle process, Duration timeout) throws InterruptedException {
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        String lastSeen = "no kubeconfig at " + kubeconfigFile + " yet";
        FileTime probedVersion = null;
        ReadinessProbe probe = null;
        try {
            while (System.nanoTime() - deadline < 0) {
                if (!process.isAlive()) {
                    return new Outcome.Exited();
                }
                try {
                    FileTime version = Files.exists(kubeconfigFile) ? Files.getLastModifiedTime(kubeconfigFile) : null;
                    if (version != null && !version.equals(probedVersion)) {
                        // A rewritten kubeconfig may carry a new CA or port: probe with what it says now.
                        probedVersion = version;
                        closeQuietly(probe);
                        probe = probeFor(Kubeconfig.read(kubeconfigFile));
                        lastSeen = probe == null ? "kubeconfig names another port than " + expectedPort : lastSeen;
                    }
                    if (probe != null) {
                        ReadinessProbe.Result result = probe.check();
                        if (result instanceof ReadinessProbe.Result.Ready) {
                            return new Outcome.Ready(Duration.ofNanos(System.nanoTime() - begin));
                        }
                        lastSeen = describe(result);
                    }
                } catch (IOException | RuntimeException e) {
                    lastSeen = "cannot use " + kubeconfigFile + ": " + e.getMessage();
                }
                Thread.sleep(POLL_INTERVAL);
            }
            return new Outcome.TimedOut(lastSeen);
        } finally {
            closeQuietly(probe);
        }
    }

    private ReadinessProbe probeFor(Kubeconfig kubeconfig) {
        return kubeconfig.server().getPort() == expectedPort ? new ReadinessProbe(kubeconfig, PROBE_TIMEOUT, requireReadyNode) : null;
    }

    /** One line for a user: what the wait ended with. */
    public static String describe(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Ready(Duration elapsed) -> "ready after " + elapsed.toMillis() + "ms";
            case Outcome.Exited() -> "the process exited";
            case Outcome.TimedOut(String lastSeen) -> "timed out; last: " + lastSeen;
        };
    }

    /** One line for a user: what a probe found. */
    public static String describe(ReadinessProbe.Result result) {
        return switch (result) {
            case ReadinessProbe.Result.Ready ready -> "ready";
            case ReadinessProbe.Result.NotReady(int status, String body) -> "/readyz answered " + status + ": " + body;
            case ReadinessProbe.Result.Unreachable(String reason) -> "unreachable: " + reason;
        };
    }

    private static void closeQuietly(ReadinessProbe probe) {
        if (probe != null) {
            probe.close();
        }
    }
}
