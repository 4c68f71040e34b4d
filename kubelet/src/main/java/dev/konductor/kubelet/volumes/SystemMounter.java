package dev.konductor.kubelet.volumes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Mounts with the node's {@code mount} and {@code umount} commands, always by exact path, and
 * reads the mount table from {@code /proc/self/mountinfo} (the kubelet shares the host's mount
 * namespace with containerd, so this is the table the runtime bind-mounts from). Needs root.
 */
public final class SystemMounter implements Mounter {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    @Override
    public void mountTmpfs(Path target, OptionalLong sizeBytes) throws IOException {
        List<String> command = new ArrayList<>(List.of("mount", "-t", "tmpfs"));
        if (sizeBytes.isPresent()) {
            command.addAll(List.of("-o", "size=" + sizeBytes.getAsLong()));
        }
        command.addAll(List.of("tmpfs", target.toAbsolutePath().normalize().toString()));
        run(command);
    }

    /** Mounts a fresh tmpfs on {@code target} that only root may enter (mode 0700). */
    public void mountPrivateTmpfs(Path target) throws IOException {
        run(List.of("mount", "-t", "tmpfs", "-o", "mode=0700", "tmpfs", target.toAbsolutePath().normalize().toString()));
    }

    @Override
    public void unmount(Path target) throws IOException {
        run(List.of("umount", target.toAbsolutePath().normalize().toString()));
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

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("mount failed: exit status " + process.exitValue() + "\nMounting command: "
                    + command.getFirst() + "\nMounting arguments: " + String.join(" ", command.subList(1, command.size()))
                    + "\nOutput: " + output);
        }
    }
}
