package dev.konductor.kubelet.process;

import java.util.Optional;

/**
 * One line of {@code /proc/<pid>/stat}: what the process runtime needs of a host process, its
 * parent, process group and session, CPU time (its own and its reaped children's, in clock
 * ticks), start time (clock ticks after boot: with the pid, what names one process for good) and
 * resident pages. Pure.
 *
 * @param cpuTicks utime + stime + cutime + cstime
 */
record ProcStat(long pid, String comm, char state, long ppid, long pgrp, long session, long cpuTicks, long startTime,
                long rssPages) {

    /** Parses a stat line; empty when it is not one (a process that vanished mid-read leaves an empty file). */
    static Optional<ProcStat> parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')'); // comm may itself hold parentheses and spaces
        if (open < 0 || close < open || close + 2 >= line.length()) {
            return Optional.empty();
        }
        String[] rest = line.substring(close + 2).strip().split(" ");
        if (rest.length < 22) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(line.substring(0, open).strip());
            long cpu = Long.parseLong(rest[11]) + Long.parseLong(rest[12]) + Long.parseLong(rest[13])
                    + Long.parseLong(rest[14]);
            return Optional.of(new ProcStat(pid, line.substring(open + 1, close), rest[0].charAt(0),
                    Long.parseLong(rest[1]), Long.parseLong(rest[2]), Long.parseLong(rest[3]), cpu,
                    Long.parseLong(rest[19]), Long.parseLong(rest[21])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A zombie holds no resources and cannot be signalled into doing anything. */
    boolean zombie() {
        return state == 'Z' || state == 'X';
    }
}
