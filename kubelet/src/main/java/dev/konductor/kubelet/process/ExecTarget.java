package dev.konductor.kubelet.process;

import dev.konductor.kubelet.process.sessions.CommandTarget;
import dev.konductor.kubelet.process.sessions.TerminalSize;
import dev.konductor.streaming.remotecommand.StreamOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kubectl exec}: a command started in a running container's environment, its output
 * carried to the session as it comes; it has exited once the command has and its output has
 * drained. Whatever it started in its process group is killed when it exits.
 */
final class ExecTarget implements CommandTarget {

    private static final Logger log = LoggerFactory.getLogger(ExecTarget.class);

    private final HostContainer container;
    private final List<String> command;
    private final StreamOptions options;
    private final HostLauncher launcher;
    private final Processes processes;
    private final Terminals terminals;

    ExecTarget(HostContainer container, List<String> command, StreamOptions options, HostLauncher launcher,
               Processes processes, Terminals terminals) {
        this.container = container;
        this.command = List.copyOf(command);
        this.options = options;
        this.launcher = launcher;
        this.processes = processes;
        this.terminals = terminals;
    }

    @Override
    public Running start(Output output, Optional<TerminalSize> terminal) throws IOException {
        Process process;
        try {
            process = container.exec(command, options.stdin(), terminal, launcher, processes);
        } catch (Programs.NotFound e) {
            throw new IOException("failed to exec in container: " + e.getMessage(), e);
        }
        Thread stdout = Thread.ofVirtual().name("exec-stdout").start(() -> pump(process.getInputStream(), output::stdout));
        Thread stderr = terminal.isPresent() ? null
                : Thread.ofVirtual().name("exec-stderr").start(() -> pump(process.getErrorStream(), output::stderr));
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread.ofVirtual().name("exec-wait").start(() -> {
            try {
                int code = process.waitFor();
                // What the command left running in its group ends with it (a container's own
                // processes would end with the container; these live in a group of their own).
                processes.tree().signalGroup(process.pid(), Signals.SIGKILL);
                join(stdout);
                join(stderr);
                exit.complete(code);
            } catch (InterruptedException e) {
                exit.complete(-1);
            }
        });
        return new Running() {
            @Override
            public Optional<OutputStream> stdin() {
                return options.stdin() ? Optional.of(process.getOutputStream()) : Optional.empty();
            }

            @Override
            public CompletableFuture<Integer> exit() {
                return exit;
            }

            @Override
            public void resize(TerminalSize size) {
                terminals.resize(process.pid(), size);
            }

            @Override
            public void cancel() {
                processes.tree().signal(process.pid(), Signals.SIGKILL);
            }
        };
    }

    private interface Sink {
        void write(byte[] bytes) throws IOException;
    }

    /** Copies until the command's end of output; a client that stopped reading does not stop the command. */
    private static void pump(InputStream in, Sink sink) {
        byte[] buffer = new byte[32 * 1024];
        boolean clientGone = false;
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (n > 0 && !clientGone) {
                    try {
                        sink.write(Arrays.copyOf(buffer, n));
                    } catch (IOException e) {
                        clientGone = true;
                    }
                }
            }
        } catch (IOException e) {
            log.debug("exec output ended: {}", e.getMessage());
        }
    }

    private static void join(Thread thread) throws InterruptedException {
        if (thread != null) {
            thread.join(Duration.ofMillis(HostContainer.OUTPUT_DRAIN.toMillis()));
        }
    }
}
