package dev.konductor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The CPU time a phase of a benchmark cost, by group of processes, from {@code /proc}: what each
 * process used between two snapshots (all of it for a process started in between), and what the
 * children it reaped used (a CNI plugin run by containerd, a runc run by a shim), so that
 * short-lived helpers are counted with the process that ran them. On a machine of two cores, a
 * phase that keeps both busy is bound by this sum, not by any one latency.
 */
final class PhaseCpu {

    /** A group of processes, named for the report. */
    record Group(String name, Predicate<ProcessInfo> members) {
    }

    /** What {@code /proc/PID} says of a process: its command line, and its and its reaped children's CPU ticks. */
    record ProcessInfo(long pid, String commandLine, long ownTicks, long childrenTicks) {
    }

    private final Map<String, ProcessInfo> before;
    private final long machineBefore;

    private PhaseCpu(Map<String, ProcessInfo> before, long machineBefore) {
        this.before = before;
        this.machineBefore = machineBefore;
    }

    static PhaseCpu start() throws IOException {
        return new PhaseCpu(processes(), machineBusyTicks());
    }

    /** Milliseconds of CPU since {@link #start()} per group (a process counts in its first matching group), and the machine's. */
    Map<String, Double> millis(Group... groups) throws IOException {
        Map<String, Double> result = new LinkedHashMap<>();
        for (Group group : groups) {
            result.put(group.name(), 0.0);
        }
        for (Map.Entry<String, ProcessInfo> entry : processes().entrySet()) {
            ProcessInfo now = entry.getValue();
            ProcessInfo then = before.get(entry.getKey());
            long ticks = now.ownTicks() + now.childrenTicks()
                    - (then == null ? 0 : then.ownTicks() + then.childrenTicks());
            for (Group group : groups) {
                if (group.members().test(now)) {
                    result.merge(group.name(), ticks * ProcessCpu.MILLIS_PER_TICK, Double::sum);
                    break;
                }
            }
        }
        result.put("whole machine", (machineBusyTicks() - machineBefore) * ProcessCpu.MILLIS_PER_TICK);
        return result;
    }

    static String format(Map<String, Double> millis) {
        StringBuilder out = new StringBuilder();
        millis.forEach((name, value) -> out.append(out.isEmpty() ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s %.0f ms", name, value)));
        return out.toString();
    }

    /** Every process, keyed by PID and start time (a PID may be reused within a phase). */
    private static Map<String, ProcessInfo> processes() throws IOException {
        Map<String, ProcessInfo> all = new HashMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) entries::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    long pid = Long.parseLong(name);
                    // utime + stime, cutime + cstime; the start time tells a reused PID apart
                    all.put(pid + "@" + ProcessCpu.ticks(stat, 22), new ProcessInfo(pid, ProcessCpu.commandLine(pid),
                            ProcessCpu.ticks(stat, 14, 15), ProcessCpu.ticks(stat, 16, 17)));
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile (its reaper counts its time)
                }
            }
        }
        return all;
    }

    /** Busy ticks of all CPUs, from the first line of /proc/stat: user, nice, system, irq and softirq. */
    private static long machineBusyTicks() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7}) {
            busy += Long.parseLong(fields[i]);
        }
        return busy;
    }
}
