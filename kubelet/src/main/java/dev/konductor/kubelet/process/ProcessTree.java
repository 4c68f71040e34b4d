package dev.konductor.kubelet.process;

import java.util.List;

/**
 * Signals a container's processes: its process group, then any descendant of its main process
 * that left the group (a daemon that called setsid, a terminal session under {@code script}),
 * each by its pid. A process that is gone by then is no error.
 */
final class ProcessTree {

    private final ProcessTable table;

    ProcessTree(ProcessTable table) {
        this.table = table;
    }

    /** Signals the group {@code mainPid} leads and its main process's descendants. */
    void signal(long mainPid, int signal) {
        List<ProcStat> members = ProcessTable.members(table.all(), mainPid);
        Signals.toGroup(mainPid, signal);
        for (ProcStat p : members) {
            if (p.pgrp() != mainPid && !p.zombie()) {
                Signals.toProcess(p.pid(), signal);
            }
        }
    }

    /** Signals what is left of the group of a main process that has ended (its descendants went to init). */
    void signalGroup(long pgid, int signal) {
        Signals.toGroup(pgid, signal);
    }

    ProcessTable table() {
        return table;
    }
}
