package dev.konductor.server.datadir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files so that a reader (or a crash) never sees half of one: the content goes to a
 * temporary file in the same directory, is flushed to disk, then renamed over the target.
 * The temporary file is created with its final mode, so a key is never readable by others,
 * not even for an instant.
 */
public final class AtomicFiles {

    /** Who may read the file. */
    public enum Mode {
        /** Owner only (0600): private keys, tokens, kubeconfigs. */
        PRIVATE("rw-------"),
        /** Everyone may read (0644): certificates, PID files. */
        PUBLIC("rw-r--r--");

        private final String permissions;

        Mode(String permissions) {
            this.permissions = permissions;
        }
    }

    private AtomicFiles() {
    }

    public static void write(Path file, byte[] content, Mode mode) {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString(mode.permissions)));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static void write(Path file, String content, Mode mode) {
        write(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8), mode);
    }
}
