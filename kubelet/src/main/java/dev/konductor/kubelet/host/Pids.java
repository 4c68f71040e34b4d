package dev.konductor.kubelet.host;

/**
 * Process ids: how many the kernel hands out at most and how many tasks exist now, as upstream's
 * kubelet reads them for {@code pid.available} (the smaller of {@code kernel.pid_max} and
 * {@code kernel.threads-max}; every thread holds an id).
 */
public record Pids(long max, long inUse) {

    public long available() {
        return Math.max(0, max - inUse);
    }

    /** From the texts of pid_max, threads-max and {@code /proc/loadavg} (whose fourth field is running/total tasks). */
    public static Pids parse(String pidMax, String threadsMax, String loadavg) {
        long max = Math.min(Long.parseLong(pidMax.strip()), Long.parseLong(threadsMax.strip()));
        String[] fields = loadavg.strip().split("\\s+");
        String tasks = fields[3];
        long inUse = Long.parseLong(tasks.substring(tasks.indexOf('/') + 1));
        return new Pids(max, inUse);
    }
}
