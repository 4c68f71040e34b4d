package dev.konductor.server.local;

import dev.konductor.server.datadir.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code DIR/server.pid}: the process {@code konductor up} started. {@code down} only ever
 * signals the process named here, and only if it is still that process: PIDs are reused, so a
 * process that started after the file was written is someone else's.
 */
public record PidFile(Path path) {

    /**
     * How much later than the file's modification time the process may appear to have started.
     * The kernel reports start times in clock ticks, and the file is written just after the
     * process starts, so the two are close but not ordered exactly.
     */
    private static final Duration START_TIME_TOLERANCE = Duration.ofSeconds(2);

    public void write(long pid) {
        AtomicFiles.write(path, pid + "\n", AtomicFiles.Mode.PUBLIC);
    }

    public OptionalLong read() {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(path).strip()));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The recorded process, if it is alive and is the one that was recorded. */
    public Optional<ProcessHandle> runningProcess() {
        OptionalLong pid = read();
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        Instant written;
        try {
            written = Files.getLastModifiedTime(path).toInstant();
        } catch (IOException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid.getAsLong())
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().startInstant()
                        .map(started -> !started.isAfter(written.plus(START_TIME_TOLERANCE)))
                        .orElse(true));
    }

    public void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + path + ": " + e.getMessage(), e);
        }
    }
}
