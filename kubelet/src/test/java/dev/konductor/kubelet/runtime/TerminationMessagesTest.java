package dev.konductor.kubelet.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.cri.v1.ContainerStatus;
import dev.konductor.kubelet.cri.v1.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code kubectl describe} shows as a terminated container's Message. */
class TerminationMessagesTest {

    @TempDir
    Path dir;

    private ContainerStatus status(int exitCode, String policy, Path hostFile, Path log) {
        ContainerStatus.Builder s = ContainerStatus.newBuilder().setExitCode(exitCode)
                .putAnnotations(RuntimeLabels.TERMINATION_MESSAGE_PATH, "/dev/termination-log")
                .putAnnotations(RuntimeLabels.TERMINATION_MESSAGE_POLICY, policy)
                .setLogPath(log.toString());
        if (hostFile != null) {
            s.addMounts(Mount.newBuilder().setContainerPath("/dev/termination-log").setHostPath(hostFile.toString()));
        }
        return s.build();
    }

    private Path log(int lines) throws IOException {
        Path log = dir.resolve("0.log");
        Files.writeString(log, IntStream.range(0, lines).mapToObj(i -> "2025-01-01T00:00:00.000000001Z stderr F line " + i)
                .collect(Collectors.joining("\n", "", "\n")));
        return log;
    }

    @Test
    void readsTheFileMountedAtTheTerminationMessagePath() throws IOException {
        Path file = Files.writeString(dir.resolve("termination-log"), "bye from the app");
        assertThat(TerminationMessages.of(status(0, "File", file, log(3)))).isEqualTo("bye from the app");
    }

    @Test
    void capsTheFileAt4096Bytes() throws IOException {
        Path file = Files.writeString(dir.resolve("termination-log"), "x".repeat(10_000));
        assertThat(TerminationMessages.of(status(1, "File", file, log(1)))).hasSize(4096);
    }

    @Test
    void fallsBackToTheLastLogLinesOnlyForAFailureWithNothingWritten() throws IOException {
        Path empty = Files.writeString(dir.resolve("termination-log"), "");
        Path log = log(100);
        String message = TerminationMessages.of(status(2, "FallbackToLogsOnError", empty, log));
        assertThat(message).startsWith("line 20\n").endsWith("line 99\n");
        assertThat(TerminationMessages.of(status(0, "FallbackToLogsOnError", empty, log))).as("succeeded: no fallback").isEmpty();
        assertThat(TerminationMessages.of(status(2, "File", null, log))).as("policy File: no fallback").isEmpty();
    }

    @Test
    void theFallbackKeepsTheLast2048Bytes() throws IOException {
        Path log = dir.resolve("0.log");
        Files.writeString(log, ("2025-01-01T00:00:00.000000001Z stderr F " + "y".repeat(3000) + "\n").repeat(2));
        assertThat(TerminationMessages.of(status(1, "FallbackToLogsOnError", null, log))).hasSize(2048).endsWith("y\n");
    }
}
