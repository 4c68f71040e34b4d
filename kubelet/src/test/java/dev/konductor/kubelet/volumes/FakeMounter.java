package dev.konductor.kubelet.volumes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** A mount table in memory: tmpfs "mounts" are remembered with their size, nothing touches the system. */
final class FakeMounter implements Mounter {

    final Map<Path, OptionalLong> tmpfs = new ConcurrentHashMap<>();

    @Override
    public void mountTmpfs(Path target, OptionalLong sizeBytes) throws IOException {
        if (tmpfs.putIfAbsent(target.toAbsolutePath().normalize(), sizeBytes) != null) {
            throw new IOException("already mounted: " + target);
        }
    }

    @Override
    public void unmount(Path target) throws IOException {
        if (tmpfs.remove(target.toAbsolutePath().normalize()) == null) {
            throw new IOException("umount: " + target + ": not mounted.");
        }
    }

    @Override
    public List<Path> mountPointsUnder(Path dir) {
        Path prefix = dir.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>(tmpfs.keySet().stream().filter(p -> p.startsWith(prefix)).toList());
        out.sort(Comparator.comparingInt((Path p) -> p.toString().length()).reversed());
        return out;
    }
}
