package dev.konductor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used (user + system), from {@code /proc/PID/stat}. On a shared machine
 * rates swing with the neighbours' load; CPU time per pod does much less, so the benchmark reports
 * both.
 */
final class ProcessCpu {

    /** Linux reports these fields in clock ticks of 1/100 s on every common configuration. */
    private static final double MILLIS_PER_TICK = 10.0;

    private ProcessCpu() {
    }

    /** CPU milliseconds used so far by {@code pid}. */
    static double millis(long pid) throws IOException {
        return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** utime + stime (fields 14 and 15) of a stat line; the command name may contain spaces. */
    static double parse(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state), so field n is fields[n - 3]
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * MILLIS_PER_TICK;
    }
}
