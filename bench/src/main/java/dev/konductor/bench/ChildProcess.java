package dev.konductor.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A process the benchmark started (through the launcher, which execs the JVM, so this PID is the
 * JVM's). Closing it sends SIGTERM, then SIGKILL after 20 s; so does a shutdown hook if the
 * benchmark itself is interrupted or killed with SIGTERM, so that no server or node is left behind.
 */
final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final Thread shutdownHook;

    private ChildProcess(Process process) {
        this.process = process;
        this.shutdownHook = Thread.ofPlatform().name("stop-" + process.pid()).unstarted(process::destroy);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static ChildProcess start(ProcessBuilder builder) throws IOException {
        return new ChildProcess(builder.start());
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
