package dev.konductor.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Diagnostic commands sent to another JVM with the JDK's {@code jcmd}, by process id. */
final class Jcmd {

    private static final Pattern USED = Pattern.compile("(?:total|committed) \\d+K, used (\\d+)K");

    private Jcmd() {
    }

    /** Runs {@code jcmd PID command...} and returns what it printed. */
    static String run(long pid, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        args.addAll(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("jcmd " + pid + " " + String.join(" ", command) + " failed: "
                    + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    /**
     * The live heap in MiB: a full collection, then what the generations still use. RSS also counts
     * garbage not collected yet and heap the JVM keeps after a peak.
     */
    static double liveHeapMiB(long pid) throws Exception {
        run(pid, "GC.run");
        return usedKiB(run(pid, "GC.heap_info")) / 1024.0;
    }

    /** The sum of the "used" figures of a GC.heap_info report's generations (G1 reports one heap). */
    static long usedKiB(String heapInfo) {
        long used = 0;
        Matcher m = USED.matcher(heapInfo);
        while (m.find()) {
            used += Long.parseLong(m.group(1));
        }
        return used;
    }
}
