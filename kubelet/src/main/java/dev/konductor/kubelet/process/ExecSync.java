package dev.konductor.kubelet.process;

import dev.konductor.kubelet.runtime.ContainerRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * CRI's ExecSync for probes and hooks: the command in the container's environment, its output
 * collected (at most a bound per stream), its exit code; past the timeout its processes are
 * killed and the call fails as a timeout.
 */
final class ExecSync {

    private ExecSync() {
    }

    static ContainerRuntime.ExecResult run(HostContainer container, List<String> command, Duration timeout,
                                           HostLauncher launcher, Processes processes, int maxOutput) {
        Process process;
        try {
            process = container.exec(command, false, Optional.empty(), launcher, processes);
        } catch (Programs.NotFound | IOException e) {
            throw RuntimeErrors.failed("failed to exec in container: " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> stdout = collect(process.getInputStream(), maxOutput);
        CompletableFuture<byte[]> stderr = collect(process.getErrorStream(), maxOutput);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                processes.tree().signal(process.pid(), Signals.SIGKILL);
                throw new ContainerRuntime.ExecTimeoutException("command " + command + " timed out after "
                        + timeout.toSeconds() + "s", null);
            }
            processes.tree().signalGroup(process.pid(), Signals.SIGKILL); // what the command left behind
            long drain = HostContainer.OUTPUT_DRAIN.toMillis();
            return new ContainerRuntime.ExecResult(process.exitValue(), orEmpty(stdout, drain), orEmpty(stderr, drain));
        } catch (InterruptedException e) {
            processes.tree().signal(process.pid(), Signals.SIGKILL);
            Thread.currentThread().interrupt();
            throw RuntimeErrors.failed("interrupted while running " + command, e);
        }
    }

    private static CompletableFuture<byte[]> collect(InputStream in, int max) {
        CompletableFuture<byte[]> out = new CompletableFuture<>();
        Thread.ofVirtual().name("exec-sync-output").start(() -> {
            try (in) {
                byte[] kept = in.readNBytes(max);
                in.transferTo(OutputStream.nullOutputStream()); // the rest is dropped, not left blocking the command
                out.complete(kept);
            } catch (IOException e) {
                out.complete(new byte[0]);
            }
        });
        return out;
    }

    private static byte[] orEmpty(CompletableFuture<byte[]> output, long millis) {
        try {
            return output.get(millis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return new byte[0];
        }
    }
}
