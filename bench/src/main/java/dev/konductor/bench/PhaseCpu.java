package dev.konductor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    record ProcessInfo(long pid, long startTicks, String commandLine, long ownTicks, long childrenTicks) {
    }

    private static final double MILLIS_PER_TICK = 10.0;

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
                    result.merge(group.name(), ticks * MILLIS_PER_TICK, Double::sum);
                    break;
                }
            }
        }
        result.put("whole machine", (machineBusyTicks() - machineBefore) * MILLIS_PER_TICK);
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
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    // fields[0] is field 3 of proc(5): utime, stime, cutime, cstime are 14-17, starttime 22
                    long own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    long children = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
                    long startTicks = Long.parseLong(fields[19]);
                    String commandLine = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    long pid = Long.parseLong(name);
                    all.put(pid + "@" + startTicks, new ProcessInfo(pid, startTicks, commandLine, own, children));
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
