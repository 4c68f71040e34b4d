package dev.konductor.kubelet.node;

import dev.konductor.kubelet.host.Filesystem;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Hard eviction thresholds: below them the node is under pressure (and upstream's kubelet would
 * start evicting pods). The defaults are upstream's on Linux: {@code memory.available<100Mi},
 * {@code nodefs.available<10%}, {@code imagefs.available<15%}. Upstream sets no default for
 * {@code pid.available}; Konductor reports PID pressure below 10% of the kernel's process ids
 * left, so that a fork bomb shows on the node before it takes the machine down. Inode signals are
 * not watched (the JDK cannot read free inodes).
 */
public record EvictionThresholds(long memoryAvailableBytes, int nodefsAvailablePercent, int imagefsAvailablePercent,
                                 int pidAvailablePercent) {

    public static final EvictionThresholds DEFAULT = new EvictionThresholds(100L * 1024 * 1024, 10, 15, 10);

    public EvictionThresholds {
        if (memoryAvailableBytes < 0) {
            throw new IllegalArgumentException("memory threshold must not be negative: " + memoryAvailableBytes);
        }
        for (int percent : new int[] {nodefsAvailablePercent, imagefsAvailablePercent, pidAvailablePercent}) {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("a threshold percentage must be between 0 and 100: " + percent);
            }
        }
    }

    /** The bytes of the node filesystem the nodefs threshold keeps back (what allocatable leaves out). */
    long nodefsReserve(long capacityBytes) {
        return (long) (capacityBytes * (nodefsAvailablePercent / 100.0));
    }

    /** The pressures {@code readings} show at this instant; a signal that could not be read shows none. */
    public Set<Pressure> crossed(NodeReadings readings) {
        Set<Pressure> out = EnumSet.noneOf(Pressure.class);
        if (readings.memory().map(m -> m.availableBytes() < memoryAvailableBytes).orElse(false)) {
            out.add(Pressure.MEMORY);
        }
        if (below(readings.nodefs(), nodefsAvailablePercent) || below(readings.imagefs(), imagefsAvailablePercent)) {
            out.add(Pressure.DISK);
        }
        if (readings.pids().map(p -> p.available() < p.max() * (pidAvailablePercent / 100.0)).orElse(false)) {
            out.add(Pressure.PID);
        }
        return out;
    }

    private static boolean below(Optional<Filesystem> fs, int percent) {
        return fs.map(f -> f.capacityBytes() > 0 && f.availableBytes() < f.capacityBytes() * (percent / 100.0))
                .orElse(false);
    }
}
