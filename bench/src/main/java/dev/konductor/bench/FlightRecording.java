package dev.konductor.bench;

import java.nio.file.Path;

/**
 * A JDK Flight Recording of another JVM over one measured phase, through {@code jcmd PID JFR.start}
 * and {@code JFR.stop}: where the server's (or the nodes') time goes. Read the file with
 * {@code jfr print --stack-depth 64 --events jdk.ExecutionSample} (without {@code --stack-depth}
 * it prints five frames of each stack, too few to see which request path a sample belongs to) or
 * {@code jfr summary}.
 */
final class FlightRecording implements AutoCloseable {

    private static final String NAME = "konductor-bench";

    private final long pid;
    private final Path file;

    private FlightRecording(long pid, Path file) {
        this.pid = pid;
        this.file = file;
    }

    /**
     * Starts recording {@code pid} with the "profile" settings into {@code file}, its Java threads
     * sampled every millisecond (the default 10-20 ms gave a few hundred samples over a measured
     * phase, too few to rank what costs a few per cent).
     */
    static FlightRecording start(long pid, Path file) throws Exception {
        Jcmd.run(pid, "JFR.start", "name=" + NAME, "settings=profile", "method-profiling=max",
                "filename=" + file.toAbsolutePath());
        return new FlightRecording(pid, file);
    }

    Path file() {
        return file;
    }

    /** Stops the recording and writes the file. */
    @Override
    public void close() throws Exception {
        Jcmd.run(pid, "JFR.stop", "name=" + NAME);
    }
}
