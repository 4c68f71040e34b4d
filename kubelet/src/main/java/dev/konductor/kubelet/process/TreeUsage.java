package dev.konductor.kubelet.process;

import java.util.List;

/**
 * What a container's processes use, summed over its process tree from {@code /proc}: CPU time
 * (each process's own and that of the children it reaped, so the total only grows) and resident
 * memory, the nearest a process tree has to a cgroup's working set (it leaves the page cache
 * out). Pure.
 */
record TreeUsage(long cpuNanos, long workingSetBytes) {

    static TreeUsage of(List<ProcStat> members, long ticksPerSecond, long pageSize) {
        long ticks = 0;
        long pages = 0;
        for (ProcStat p : members) {
            ticks += p.cpuTicks();
            pages += p.rssPages();
        }
        return new TreeUsage(ticks * (1_000_000_000L / ticksPerSecond), pages * pageSize);
    }
}
