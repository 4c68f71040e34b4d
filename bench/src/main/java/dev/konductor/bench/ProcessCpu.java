package dev.konductor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used (user + system), from {@code /proc/PID/task/TID/stat}. On a shared machine
 * rates swing with the neighbours' load; CPU time per pod does much less, so the benchmark reports
 * both.
 */
final class ProcessCpu {

    /** Linux reports these fields in clock ticks of 1/100 s on every common configuration. */
    static final double MILLIS_PER_TICK = 10.0;

    private ProcessCpu() {
    }

    /**
     * CPU milliseconds used so far by {@code pid}, leaving out what its live JIT compiler threads
     * used: in a run of a few minutes they take up to a third of the server's CPU, a cost that
     * does not recur per pod. (The process total still counts threads that have ended; a compiler
     * thread HotSpot retires while idle is counted with them.)
     */
    static double millis(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        double compilers = 0;
        try (var tasks = Files.list(proc.resolve("task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    if (isCompilerThread(stat)) {
                        compilers += parse(stat);
                    }
                } catch (java.nio.file.NoSuchFileException ended) {
                    // the thread ended meanwhile; the process total has its time
                }
            }
        }
        return totalMillis(pid) - compilers;
    }

    /** CPU milliseconds used so far by {@code pid}, all its threads, those that ended included. */
    static double totalMillis(long pid) throws IOException {
        return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** HotSpot names its JIT threads "C1 CompilerThread0", "C2 CompilerThread1", ... (cut to 15 chars). */
    static boolean isCompilerThread(String stat) {
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        return name.matches("C[12] CompilerThr.*");
    }

    /** utime + stime (fields 14 and 15) of a stat line. */
    static double parse(String stat) {
        return ticks(stat, 14, 15) * MILLIS_PER_TICK;
    }

    /** The sum of the numeric fields {@code numbers} (numbered as in proc(5)) of a stat line; the command name may contain spaces. */
    static long ticks(String stat, int... numbers) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long sum = 0;
        for (int n : numbers) {
            sum += Long.parseLong(fields[n - 3]); // fields[0] is field 3 (state)
        }
        return sum;
    }

    /** The command line of process {@code pid}, arguments separated by spaces; empty if it has ended. */
    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
