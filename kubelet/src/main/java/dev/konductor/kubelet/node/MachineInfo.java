package dev.konductor.kubelet.node;

import dev.konductor.kubelet.host.Filesystem;
import dev.konductor.kubelet.host.HostFiles;
import dev.konductor.kubelet.host.MemInfo;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the node reports about the machine: CPUs, memory, pre-allocated huge pages by page size,
 * the filesystem of the kubelet's root directory (ephemeral-storage), and the identity fields of
 * {@code status.nodeInfo}.
 *
 * @param hugepagesBytes resource name ({@code hugepages-2Mi}) to the bytes of huge pages of that size the kernel holds
 */
public record MachineInfo(int cpus, long memoryBytes, Map<String, Long> hugepagesBytes, long ephemeralStorageBytes,
                          String machineId, String systemUuid, String bootId, String kernelVersion, String osImage,
                          String architecture) {

    private static final Path HUGEPAGES = Path.of("/sys/kernel/mm/hugepages");

    public MachineInfo {
        hugepagesBytes = Map.copyOf(hugepagesBytes);
    }

    public static MachineInfo read(Path rootDir) {
        return new MachineInfo(
                Runtime.getRuntime().availableProcessors(),
                new HostFiles().memInfo().map(MemInfo::totalBytes).orElse(0L),
                hugepages(HUGEPAGES),
                Filesystem.of(rootDir).map(Filesystem::capacityBytes).orElse(0L),
                firstLine(Path.of("/etc/machine-id")).orElse(""),
                firstLine(Path.of("/sys/class/dmi/id/product_uuid")).orElse(""),
                firstLine(Path.of("/proc/sys/kernel/random/boot_id")).orElse(""),
                firstLine(Path.of("/proc/sys/kernel/osrelease")).orElse(System.getProperty("os.version")),
                readOsImage(),
                goArchitecture(System.getProperty("os.arch")));
    }

    /** Every huge page size the kernel supports ({@code hugepages-<N>kB} directories), with the pool's size in bytes. */
    static Map<String, Long> hugepages(Path sysHugepages) {
        Map<String, Long> out = new TreeMap<>();
        try (DirectoryStream<Path> sizes = Files.newDirectoryStream(sysHugepages, "hugepages-*kB")) {
            for (Path dir : sizes) {
                String name = dir.getFileName().toString();
                long pageBytes = Long.parseLong(name.substring("hugepages-".length(), name.length() - 2)) * 1024;
                long pages = firstLine(dir.resolve("nr_hugepages")).map(Long::parseLong).orElse(0L);
                out.put(resourceName(pageBytes), pages * pageBytes);
            }
        } catch (IOException | RuntimeException e) {
            // no huge page support here: none to report
        }
        return out;
    }

    /** {@code hugepages-2Mi} for 2 MiB pages, as upstream names the resource. */
    static String resourceName(long pageBytes) {
        return "hugepages-" + ResourceQuantities.bytes(pageBytes);
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
