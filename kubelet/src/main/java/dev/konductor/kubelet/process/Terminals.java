package dev.konductor.kubelet.process;

import dev.konductor.kubelet.process.sessions.TerminalSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resizes the pseudo-terminal of a session started under {@code script}: the terminal is the
 * standard input of {@code script}'s child, found through {@code /proc}, and {@code stty -F}
 * sets its size (the kernel then tells the program with SIGWINCH). Best effort.
 */
final class Terminals {

    private static final Logger log = LoggerFactory.getLogger(Terminals.class);
    private static final List<Path> STTY = List.of(Path.of("/usr/bin/stty"), Path.of("/bin/stty"));

    private final ProcessTable table;
    private final Path proc;

    Terminals(ProcessTable table, Path proc) {
        this.table = table;
        this.proc = proc;
    }

    void resize(long scriptPid, TerminalSize size) {
        Optional<Path> stty = STTY.stream().filter(Files::isExecutable).findFirst();
        Optional<Path> terminal = terminalOf(scriptPid);
        if (stty.isEmpty() || terminal.isEmpty()) {
            return;
        }
        try {
            Process p = new ProcessBuilder(stty.get().toString(), "-F", terminal.get().toString(), "cols",
                    Integer.toString(size.columns()), "rows", Integer.toString(size.rows()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            log.debug("cannot resize terminal {}: {}", terminal.get(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The pseudo-terminal some process under {@code scriptPid} reads from. */
    private Optional<Path> terminalOf(long scriptPid) {
        for (ProcStat p : ProcessTable.members(table.all(), scriptPid)) {
            if (p.pid() == scriptPid) {
                continue;
            }
            try {
                Path stdin = Files.readSymbolicLink(proc.resolve(Long.toString(p.pid())).resolve("fd").resolve("0"));
                if (stdin.toString().startsWith("/dev/pts/")) {
                    return Optional.of(stdin);
                }
            } catch (IOException | UnsupportedOperationException e) {
                // gone, or not ours to look at
            }
        }
        return Optional.empty();
    }
}
