package dev.konductor.kubelet.runtime;

import dev.konductor.kubelet.cri.v1.ContainerStatus;
import dev.konductor.kubelet.cri.v1.Mount;
import dev.konductor.kubelet.logs.ContainerLogs;
import dev.konductor.kubelet.logs.LogOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The termination message of an exited container, as upstream's kubelet reads it: the file at
 * {@code terminationMessagePath} inside the container, found through the container's mounts
 * (whoever mounts it there: the volume setup writes a per-container file on the host), at most
 * 4096 bytes; with {@code terminationMessagePolicy: FallbackToLogsOnError}, a failed container
 * that wrote nothing there gets the end of its log instead (the last 80 lines, at most 2048 bytes).
 */
public final class TerminationMessages {

    static final int MAX_FILE_BYTES = 4096;
    static final long FALLBACK_LINES = 80;
    static final int FALLBACK_BYTES = 2048;

    private TerminationMessages() {
    }

    /** The runtime's own message (if any), then the termination message, as upstream joins them. */
    public static String of(ContainerStatus status) {
        String path = status.getAnnotationsOrDefault(RuntimeLabels.TERMINATION_MESSAGE_PATH, "");
        boolean fallback = "FallbackToLogsOnError".equals(status.getAnnotationsOrDefault(RuntimeLabels.TERMINATION_MESSAGE_POLICY, ""))
                && status.getExitCode() != 0;
        Optional<Path> file = hostPath(status, path);
        String message = file.map(TerminationMessages::readFile).orElse("");
        if (message.isEmpty() && fallback && !status.getLogPath().isEmpty()) {
            message = tailOfLog(Path.of(status.getLogPath()));
        }
        String own = status.getMessage();
        if (message.isEmpty()) {
            return own;
        }
        return own.isEmpty() ? message : own + ": " + message;
    }

    static Optional<Path> hostPath(ContainerStatus status, String containerPath) {
        if (containerPath.isEmpty()) {
            return Optional.empty();
        }
        return status.getMountsList().stream().filter(m -> m.getContainerPath().equals(containerPath)).map(Mount::getHostPath)
                .filter(p -> !p.isEmpty()).map(Path::of).findFirst();
    }

    static String readFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_FILE_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static String tailOfLog(Path logFile) {
        if (!Files.isRegularFile(logFile)) {
            return "";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ContainerLogs.copy(logFile, new LogOptions(false, Optional.of(FALLBACK_LINES), Optional.empty(), false, Optional.empty()),
                    bytes -> {
                        out.writeBytes(bytes);
                        return true;
                    }, () -> false);
        } catch (IOException e) {
            return "";
        }
        byte[] all = out.toByteArray();
        byte[] tail = all.length <= FALLBACK_BYTES ? all : Arrays.copyOfRange(all, all.length - FALLBACK_BYTES, all.length);
        return new String(tail, StandardCharsets.UTF_8);
    }
}
