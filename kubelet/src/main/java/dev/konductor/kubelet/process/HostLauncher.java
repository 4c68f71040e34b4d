package dev.konductor.kubelet.process;

import dev.konductor.kubelet.process.sessions.TerminalSize;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts host processes for containers, each the leader of a process group (and session) of its
 * own through util-linux's {@code setsid}, which the JDK cannot do itself: then one signal to
 * the group reaches the process's children too. {@code setsid} execs in place (the JDK's child is
 * never a group leader), so the pid the JDK reports is the program's, and the group's id.
 *
 * <p>With a terminal, the program runs under util-linux's {@code script}, which gives it a
 * pseudo-terminal, sized once at the start with {@code stty}; {@code script} passes on its exit
 * status.
 */
final class HostLauncher {

    static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));
    static final List<Path> SCRIPT = List.of(Path.of("/usr/bin/script"), Path.of("/bin/script"));
    private static final File DEV_NULL = new File("/dev/null");

    private final Path setsid;
    private final Optional<Path> script;

    HostLauncher(Path setsid, Optional<Path> script) {
        this.setsid = setsid;
        this.script = script;
    }

    /** Finds setsid (required) and script (for terminals) on this machine. */
    static Optional<HostLauncher> discover() {
        return find(SETSID).map(s -> new HostLauncher(s, find(SCRIPT)));
    }

    /** Whether sessions with a terminal get a real one. */
    boolean terminals() {
        return script.isPresent();
    }

    /**
     * Starts {@code program} (absolute) with the rest of {@code launch}'s argv, its environment and
     * working directory; stdin a pipe only when asked for, stderr into stdout with a terminal.
     */
    Process start(Launch launch, Path program, boolean stdin, Optional<TerminalSize> terminal) throws IOException {
        List<String> argv = new ArrayList<>(launch.argv());
        argv.set(0, program.toString());
        List<String> command = new ArrayList<>(List.of(setsid.toString()));
        if (terminal.isPresent() && script.isPresent()) {
            command.addAll(List.of(script.get().toString(), "-q", "-e", "-f", "-c",
                    terminalCommand(argv, terminal.get()), "/dev/null"));
        } else {
            command.addAll(argv);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(launch.workingDir().toFile());
        builder.environment().clear();
        builder.environment().putAll(launch.env());
        if (!stdin) {
            builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        }
        builder.redirectErrorStream(terminal.isPresent());
        return builder.start();
    }

    /** The shell line {@code script} runs: size the terminal, then become the program. Pure. */
    static String terminalCommand(List<String> argv, TerminalSize size) {
        StringBuilder line = new StringBuilder("stty cols " + size.columns() + " rows " + size.rows() + " 2>/dev/null; exec");
        for (String arg : argv) {
            line.append(' ').append(shellQuote(arg));
        }
        return line.toString();
    }

    /** {@code it's} as {@code 'it'\''s'}: one word for any POSIX shell, whatever it holds. */
    static String shellQuote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    private static Optional<Path> find(List<Path> candidates) {
        return candidates.stream().filter(p -> p.toFile().canExecute()).findFirst();
    }
}
