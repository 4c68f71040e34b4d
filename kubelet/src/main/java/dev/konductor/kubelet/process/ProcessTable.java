package dev.konductor.kubelet.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The host's processes as {@code /proc} shows them, and which of them belong to a container: the
 * members of its process group plus every descendant of its main process (a child that started
 * a session of its own is still one of its descendants).
 */
final class ProcessTable {

    private final Path proc;

    ProcessTable(Path proc) {
        this.proc = proc;
    }

    static ProcessTable host() {
        return new ProcessTable(Path.of("/proc"));
    }

    /** The process with this pid, if it still exists. */
    Optional<ProcStat> stat(long pid) {
        try {
            return ProcStat.parse(Files.readString(proc.resolve(Long.toString(pid)).resolve("stat")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every process now; one that ends while being read is left out. */
    List<ProcStat> all() {
        List<ProcStat> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path entry : entries) {
                try {
                    ProcStat.parse(Files.readString(entry.resolve("stat"))).ifPresent(out::add);
                } catch (IOException gone) {
                    // ended between the listing and the read
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** The members of the container whose main process is {@code mainPid} (also its process group's id). Pure. */
    static List<ProcStat> members(List<ProcStat> all, long mainPid) {
        Set<Long> tree = new HashSet<>();
        tree.add(mainPid);
        boolean grew = true;
        while (grew) { // parents may be listed after their children
            grew = false;
            for (ProcStat p : all) {
                if (!tree.contains(p.pid()) && (tree.contains(p.ppid()) || p.pgrp() == mainPid)) {
                    tree.add(p.pid());
                    grew = true;
                }
            }
        }
        return all.stream().filter(p -> tree.contains(p.pid())).toList();
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
