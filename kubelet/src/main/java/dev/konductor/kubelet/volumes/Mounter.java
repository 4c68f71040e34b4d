package dev.konductor.kubelet.volumes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** The node's mount table, as far as volumes need it: tmpfs mounts by exact path. */
public interface Mounter {

    /** Mounts a fresh tmpfs on {@code target} (an existing directory), limited to {@code sizeBytes} when given. */
    void mountTmpfs(Path target, OptionalLong sizeBytes) throws IOException;

    /** Unmounts what is mounted on exactly {@code target}. */
    void unmount(Path target) throws IOException;

    /** The mount points at or below {@code dir}, deepest first. */
    List<Path> mountPointsUnder(Path dir) throws IOException;

    default boolean isMountPoint(Path path) throws IOException {
        Path normal = path.toAbsolutePath().normalize();
        return mountPointsUnder(normal).contains(normal);
    }
}
