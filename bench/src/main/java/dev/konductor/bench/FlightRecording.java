package dev.konductor.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A JDK Flight Recording of another JVM over one measured phase, through {@code jcmd PID JFR.start}
 * and {@code JFR.stop}: where the server's (or the nodes') time goes. Read the file with
 * {@code jfr print --events jdk.ExecutionSample} or {@code jfr summary}.
 */
final class FlightRecording implements AutoCloseable {

    private static final String NAME = "konductor-bench";

    private final long pid;
    private final Path file;

    private FlightRecording(long pid, Path file) {
        this.pid = pid;
        this.file = file;
    }

    /** Starts recording {@code pid} with the "profile" settings into {@code file}. */
    static FlightRecording start(long pid, Path file) throws Exception {
        jcmd(pid, "JFR.start", "name=" + NAME, "settings=profile", "filename=" + file.toAbsolutePath());
        return new FlightRecording(pid, file);
    }

    Path file() {
        return file;
    }

    /** Stops the recording and writes the file. */
    @Override
    public void close() throws Exception {
        jcmd(pid, "JFR.stop", "name=" + NAME);
    }

    private static void jcmd(long pid, String... command) throws Exception {
        String javaHome = System.getProperty("java.home");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                Path.of(javaHome, "bin", "jcmd").toString(), Long.toString(pid)));
        args.addAll(java.util.List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("jcmd " + pid + " " + String.join(" ", command) + " failed");
        }
    }
}
