package dev.konductor.kubelet.volumes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * Mounts tmpfs file systems with the {@code mount(2)} system call, always by exact path, and
 * reads the mount table from {@code /proc/self/mountinfo} (the kubelet shares the host's mount
 * namespace with containerd, so this is the table the runtime bind-mounts from). Needs root.
 */
public final class SystemMounter implements Mounter {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    @Override
    public void mountTmpfs(Path target, OptionalLong sizeBytes) throws IOException {
        mount(target, sizeBytes.isPresent() ? "size=" + sizeBytes.getAsLong() : null);
    }

    /** Mounts a fresh tmpfs on {@code target} that only root may enter (mode 0700). */
    public void mountPrivateTmpfs(Path target) throws IOException {
        mount(target, "mode=0700");
    }

    @Override
    public void unmount(Path target) throws IOException {
        String path = target.toAbsolutePath().normalize().toString();
        try {
            MountCalls.unmount(path);
        } catch (IOException e) {
            throw new IOException("unmount failed: " + e.getMessage() + "\nUnmounting arguments: " + path, e);
        }
    }

    private static void mount(Path target, String options) throws IOException {
        String path = target.toAbsolutePath().normalize().toString();
        try {
            MountCalls.mount("tmpfs", path, "tmpfs", options);
        } catch (IOException e) {
            // in the shape of upstream's mount errors, which events and pod descriptions show
            throw new IOException("mount failed: " + e.getMessage() + "\nMounting command: mount\nMounting arguments: "
                    + "-t tmpfs" + (options == null ? "" : " -o " + options) + " tmpfs " + path, e);
        }
    }

    /**
     * As upstream's {@code IsLikelyNotMountPoint}: a directory on another device than its parent
     * is a mount point. Every mount this mounter makes is a tmpfs, a device of its own, so this
     * answers exactly for them, with two {@code stat} calls where reading the mount table grows
     * with every pod on the node (a pod's start checks each of its memory-backed volumes).
     */
    @Override
    public boolean isMountPoint(Path path) throws IOException {
        Path normal = path.toAbsolutePath().normalize();
        Path parent = normal.getParent();
        return parent == null || !Files.getAttribute(normal, "unix:dev").equals(Files.getAttribute(parent, "unix:dev"));
    }

    @Override
    public List<Path> mountPointsUnder(Path dir) throws IOException {
        return mountPointsUnder(dir, Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8));
    }

    /** Mount points (mountinfo's fifth field, octal escapes decoded) at or below {@code dir}, deepest first. */
    public static List<Path> mountPointsUnder(Path dir, List<String> mountInfo) {
        String prefix = dir.toAbsolutePath().normalize().toString();
        List<Path> out = new ArrayList<>();
        for (String line : mountInfo) {
            String[] fields = line.split(" ");
            if (fields.length < 5) {
                continue;
            }
            String mountPoint = decode(fields[4]);
            if (mountPoint.equals(prefix) || mountPoint.startsWith(prefix + "/")) {
                out.add(Path.of(mountPoint));
            }
        }
        out.sort(Comparator.comparingInt((Path p) -> p.toString().length()).reversed());
        return out;
    }

    private static String decode(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
