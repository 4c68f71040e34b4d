package dev.konductor.kubelet.host;

/**
 * The machine's cumulative busy CPU time from the {@code cpu} line of {@code /proc/stat}: user,
 * nice, system, irq, softirq and steal (guest time is already inside user), summed over every
 * core. Idle and iowait are not busy.
 */
public final class CpuTimes {

    /** USER_HZ, the unit of /proc/stat: 100 on every Linux architecture Konductor runs on. */
    static final long TICKS_PER_SECOND = 100;
    private static final long NANOS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND;

    private CpuTimes() {
    }

    /** Busy time in core-nanoseconds since boot, from the text of {@code /proc/stat}. */
    public static long busyNanos(String procStat) {
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long ticks = 0;
                // f[1] user, f[2] nice, f[3] system, f[4] idle, f[5] iowait, f[6] irq, f[7] softirq, f[8] steal
                for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                    if (i < f.length) {
                        ticks += Long.parseLong(f[i]);
                    }
                }
                return ticks * NANOS_PER_TICK;
            }
        }
        throw new IllegalArgumentException("no cpu line in /proc/stat");
    }
}
