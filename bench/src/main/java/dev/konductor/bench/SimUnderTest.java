package dev.konductor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code konductor sim} started through the real launcher as a child process, as a user would run
 * it next to a server: N simulated nodes in one JVM, joined with the server's admin kubeconfig.
 * Stopped by PID when closed.
 */
final class SimUnderTest implements AutoCloseable {

    private static final String READY_LINE = "simulated nodes ready";

    private final ChildProcess process;
    private final Path log;

    private SimUnderTest(ChildProcess process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code nodes} simulated nodes and waits until the sim says all are registered.
     *
     * @param extraArgs more {@code konductor sim} options (start delay, metrics, API concurrency)
     */
    static SimUnderTest start(Path repo, Path kubeconfig, Path logDir, int nodes, List<String> extraArgs,
                              Duration timeout) throws Exception {
        Path log = logDir.resolve("bench-sim.log");
        List<String> command = new java.util.ArrayList<>(List.of(repo.resolve("konductor").toString(), "sim",
                "--nodes", Integer.toString(nodes), "--kubeconfig", kubeconfig.toString()));
        command.addAll(extraArgs);
        ChildProcess process = ChildProcess.start(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()));
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("konductor sim exited with status " + process.exitValue()
                            + "; see " + log);
                }
                if (Files.readString(log).contains(READY_LINE)) {
                    return new SimUnderTest(process, log);
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException(nodes + " simulated nodes not registered within " + timeout + "; see " + log);
        } catch (Exception e) {
            process.close();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    double rssMiB() throws IOException {
        return ServerUnderTest.rssMiB(process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        process.close(); // SIGTERM: the nodes stop heartbeating
    }
}
