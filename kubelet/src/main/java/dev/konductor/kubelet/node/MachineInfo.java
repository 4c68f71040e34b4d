package dev.konductor.kubelet.node;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * What the node reports about the machine: CPUs, memory, the filesystem of the kubelet's root
 * directory (ephemeral-storage), and the identity fields of {@code status.nodeInfo}.
 */
public record MachineInfo(int cpus, long memoryBytes, long ephemeralStorageBytes, String machineId, String systemUuid,
                          String bootId, String kernelVersion, String osImage, String architecture) {

    public static MachineInfo read(Path rootDir) {
        return new MachineInfo(
                Runtime.getRuntime().availableProcessors(),
                memTotal().orElse(0L),
                diskSize(rootDir),
                firstLine(Path.of("/etc/machine-id")).orElse(""),
                firstLine(Path.of("/sys/class/dmi/id/product_uuid")).orElse(""),
                firstLine(Path.of("/proc/sys/kernel/random/boot_id")).orElse(""),
                firstLine(Path.of("/proc/sys/kernel/osrelease")).orElse(System.getProperty("os.version")),
                readOsImage(),
                goArchitecture(System.getProperty("os.arch")));
    }

    static Optional<Long> memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String[] parts = line.split("\\s+");
                    return Optional.of(Long.parseLong(parts[1]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no memory figure
        }
        return Optional.empty();
    }

    private static long diskSize(Path dir) {
        try {
            Path existing = dir.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            FileStore store = Files.getFileStore(existing == null ? Path.of("/") : existing);
            return store.getTotalSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String readOsImage() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return System.getProperty("os.name");
    }

    private static Optional<String> firstLine(Path file) {
        try {
            return Files.readAllLines(file).stream().findFirst().map(String::strip);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    static String goArchitecture(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> javaArch;
        };
    }
}
