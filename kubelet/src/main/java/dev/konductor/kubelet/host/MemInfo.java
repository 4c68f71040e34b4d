package dev.konductor.kubelet.host;

import java.util.HashMap;
import java.util.Map;

/**
 * The figures of {@code /proc/meminfo} the node reports, in bytes.
 *
 * <p>The node's working set is computed as upstream's kubelet gets it for the root cgroup where
 * the kernel keeps no memory counters of its own (runc's cgroup v2 root statistics): usage is
 * {@code MemTotal - MemFree}, minus the inactive page cache ({@code Inactive(file)}), which the
 * kernel can reclaim at once. {@code memory.available} for eviction is then total minus working set.
 */
public record MemInfo(long totalBytes, long freeBytes, long inactiveFileBytes) {

    /** Parses the text of {@code /proc/meminfo}; a missing line counts as 0. */
    public static MemInfo parse(String meminfo) {
        Map<String, Long> kib = new HashMap<>();
        for (String line : meminfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] value = line.substring(colon + 1).trim().split("\\s+");
            try {
                long amount = Long.parseLong(value[0]);
                boolean inKib = value.length > 1 && value[1].equals("kB");
                kib.put(line.substring(0, colon).trim(), inKib ? amount * 1024 : amount);
            } catch (NumberFormatException e) {
                // not a number: not a line we read
            }
        }
        return new MemInfo(kib.getOrDefault("MemTotal", 0L), kib.getOrDefault("MemFree", 0L),
                kib.getOrDefault("Inactive(file)", 0L));
    }

    /** Memory in use that the kernel cannot simply drop. */
    public long workingSetBytes() {
        return Math.max(0, totalBytes - freeBytes - inactiveFileBytes);
    }

    /** What the eviction manager calls {@code memory.available}. */
    public long availableBytes() {
        return Math.max(0, totalBytes - workingSetBytes());
    }
}
