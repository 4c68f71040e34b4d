package dev.konductor.kubelet.host;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Size and free space of a filesystem, in bytes ({@code available} is what unprivileged writers may use, as statfs's f_bavail). */
public record Filesystem(long capacityBytes, long availableBytes) {

    /** The filesystem holding {@code path} (or its nearest existing parent). */
    public static Optional<Filesystem> of(Path path) {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            FileStore store = Files.getFileStore(existing == null ? Path.of("/") : existing);
            return Optional.of(new Filesystem(store.getTotalSpace(), store.getUsableSpace()));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
