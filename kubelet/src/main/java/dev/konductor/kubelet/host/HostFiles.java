package dev.konductor.kubelet.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads this machine's own figures from procfs: memory, busy CPU time, process ids. Each read
 * is a few small files; empty when they cannot be read (not Linux, or a restricted /proc).
 */
public final class HostFiles {

    private final Path proc;

    /** Over the real {@code /proc}. */
    public HostFiles() {
        this(Path.of("/proc"));
    }

    /** Over another procfs-shaped directory (tests). */
    public HostFiles(Path proc) {
        this.proc = proc;
    }

    public Optional<MemInfo> memInfo() {
        return read(proc.resolve("meminfo")).map(MemInfo::parse);
    }

    /** Busy CPU time of the whole machine, core-nanoseconds since boot. */
    public OptionalLong cpuBusyNanos() {
        Optional<String> stat = read(proc.resolve("stat"));
        if (stat.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(CpuTimes.busyNanos(stat.get()));
        } catch (RuntimeException malformed) {
            return OptionalLong.empty();
        }
    }

    public Optional<Pids> pids() {
        Optional<String> pidMax = read(proc.resolve("sys/kernel/pid_max"));
        Optional<String> threadsMax = read(proc.resolve("sys/kernel/threads-max"));
        Optional<String> loadavg = read(proc.resolve("loadavg"));
        if (pidMax.isEmpty() || threadsMax.isEmpty() || loadavg.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pids.parse(pidMax.get(), threadsMax.get(), loadavg.get()));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    /**
     * Reads with a stream, not {@link Files#readString}: procfs reports size 0, and a sysctl file
     * read in pieces ends after its first byte, so {@code pid_max} would read as "3".
     */
    private static Optional<String> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
