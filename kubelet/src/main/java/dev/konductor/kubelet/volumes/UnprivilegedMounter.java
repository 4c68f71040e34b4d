package dev.konductor.kubelet.volumes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The mount table of a kubelet that may not mount (no root: the process runtime run by a user).
 * A tmpfs is not made: the volume stays a plain directory on the node's disk, so Secret, projected
 * token and {@code medium: Memory} volumes still work, only not in memory. What is mounted is
 * still read from the system, so a pod's real mounts are never mistaken for none.
 */
public final class UnprivilegedMounter implements Mounter {

    private final SystemMounter system = new SystemMounter();

    @Override
    public void mountTmpfs(Path target, OptionalLong sizeBytes) {
        // nothing to do: the directory itself holds the files
    }

    @Override
    public void unmount(Path target) throws IOException {
        system.unmount(target);
    }

    @Override
    public List<Path> mountPointsUnder(Path dir) throws IOException {
        return system.mountPointsUnder(dir);
    }
}
