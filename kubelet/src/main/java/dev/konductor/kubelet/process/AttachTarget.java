package dev.konductor.kubelet.process;

import dev.konductor.kubelet.process.sessions.CommandTarget;
import dev.konductor.kubelet.process.sessions.TerminalSize;
import dev.konductor.streaming.remotecommand.StreamOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code kubectl attach} (and {@code kubectl run -i}): the running container's output from now
 * on, and its stdin when it was created with one; over when the container exits. With
 * {@code stdinOnce}, the container's stdin closes when the first attached client's does.
 */
final class AttachTarget implements CommandTarget {

    private final HostContainer container;
    private final StreamOptions options;
    private final Terminals terminals;

    AttachTarget(HostContainer container, StreamOptions options, Terminals terminals) {
        this.container = container;
        this.options = options;
        this.terminals = terminals;
    }

    @Override
    public Running start(Output output, Optional<TerminalSize> terminal) throws IOException {
        OutputPump.Listener listener = (stream, bytes) -> {
            try {
                if (stream.equals("stderr")) {
                    output.stderr(bytes);
                } else {
                    output.stdout(bytes);
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        };
        if (!container.attach(listener)) {
            throw new IOException("container " + container.id() + " is not running");
        }
        terminal.ifPresent(size -> container.pid().ifPresent(pid -> terminals.resize(pid, size)));
        CompletableFuture<Integer> exit = container.exited().copy();
        Optional<OutputStream> stdin = options.stdin() ? container.stdin().map(this::stdinOf) : Optional.empty();
        return new Running() {
            @Override
            public Optional<OutputStream> stdin() {
                return stdin;
            }

            @Override
            public CompletableFuture<Integer> exit() {
                return exit;
            }

            @Override
            public void resize(TerminalSize size) {
                container.pid().ifPresent(pid -> terminals.resize(pid, size));
            }

            @Override
            public void cancel() {
                container.detach(listener);
            }
        };
    }

    /** The container's stdin for one client: its end closes the container's only with {@code stdinOnce}. */
    private OutputStream stdinOf(OutputStream containerStdin) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                containerStdin.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                containerStdin.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                containerStdin.flush();
            }

            @Override
            public void close() {
                if (container.config().getStdinOnce()) {
                    container.closeStdin();
                }
            }
        };
    }
}
