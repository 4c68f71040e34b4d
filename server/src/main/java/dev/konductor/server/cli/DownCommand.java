package dev.konductor.server.cli;

import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.local.PidFile;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code konductor down}: stops the server {@code up} started, and nothing else: only the
 * process recorded in {@code DIR/server.pid} is signalled. SIGTERM first (the server stops its
 * components in order), SIGKILL if it has not exited after the grace period.
 */
@Command(name = "down", description = "Stop the cluster that 'konductor up' started.", mixinStandardHelpOptions = true)
public final class DownCommand implements Callable<Integer> {

    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Duration EXIT_POLL = Duration.ofMillis(20);

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "90",
            description = "How long to wait after SIGTERM before sending SIGKILL (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        DataDir dir = dataDir.dataDir();
        PidFile pidFile = new PidFile(dir.pidFile());
        PrintWriter out = spec.commandLine().getOut();
        if (pidFile.read().isEmpty()) {
            out.println("konductor is not running (no " + dir.pidFile() + ")");
            return 0;
        }
        Optional<ProcessHandle> running = pidFile.runningProcess();
        if (running.isEmpty()) {
            pidFile.delete();
            out.println("konductor is not running (removed stale " + dir.pidFile() + ")");
            return 0;
        }
        ProcessHandle server = running.get();
        out.println("stopping konductor (pid " + server.pid() + ")");
        out.flush();
        server.destroy();
        if (!awaitExit(server, Duration.ofSeconds(timeoutSeconds))) {
            spec.commandLine().getErr().println("konductor: still running after " + timeoutSeconds + "s; killing it");
            server.destroyForcibly();
            if (!awaitExit(server, KILL_WAIT)) {
                throw new IllegalStateException("pid " + server.pid() + " survived SIGKILL; " + dir.pidFile() + " kept");
            }
        }
        pidFile.delete();
        out.println("stopped");
        return 0;
    }

    /**
     * Polls, because {@code ProcessHandle.onExit()} of a process that is not our child notices
     * the exit only seconds later.
     */
    private static boolean awaitExit(ProcessHandle process, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(EXIT_POLL);
        }
        return true;
    }
}
