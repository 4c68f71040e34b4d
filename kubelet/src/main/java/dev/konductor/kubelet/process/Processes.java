package dev.konductor.kubelet.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's hold on the host processes it starts: finding a container's program, signalling
 * its processes ({@link ProcessTree}) and keeping the {@link ProcessJournal} of what runs, so a
 * later kubelet can stop what a crashed one left.
 */
final class Processes {

    private static final Logger log = LoggerFactory.getLogger(Processes.class);

    private final ProcessTree tree;
    private final ProcessJournal journal;

    Processes(ProcessTree tree, ProcessJournal journal) {
        this.tree = tree;
        this.journal = journal;
    }

    ProcessTree tree() {
        return tree;
    }

    /** The program of {@code launch}'s argv on this host. */
    Path lookup(Launch launch) throws Programs.NotFound {
        return Programs.lookup(launch.argv().getFirst(), launch.path(), launch.workingDir(), launch.image(),
                p -> Files.isRegularFile(p) && Files.isExecutable(p), Files::exists);
    }

    void started(String containerId, long pid) {
        Optional<ProcStat> stat = tree.table().stat(pid);
        stat.ifPresent(s -> journal.record(new ProcessJournal.Entry(containerId, pid, s.startTime())));
    }

    void ended(String containerId) {
        journal.forget(containerId);
    }

    /**
     * Kills what an earlier kubelet of this runtime left running (it died without stopping its
     * containers): each recorded process still alive under the same start time, with its group
     * and descendants. Their output and exit status went with that kubelet, so they cannot be
     * taken over; the pods' containers start again. Returns how many were stopped.
     */
    int stopLeftovers() {
        List<ProcessJournal.Entry> entries = journal.entries();
        int stopped = 0;
        for (ProcessJournal.Entry entry : entries) {
            Optional<ProcStat> now = tree.table().stat(entry.pid());
            if (now.isPresent() && now.get().startTime() == entry.startTime() && !now.get().zombie()) {
                log.warn("stopping a container process left by an earlier kubelet id={} pid={}", entry.containerId(),
                        entry.pid());
                tree.signal(entry.pid(), Signals.SIGKILL);
                stopped++;
            }
            journal.forget(entry.containerId());
        }
        return stopped;
    }
}
