package dev.konductor.kubelet.process.sessions;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What an exec or attach session runs against: a command to start, or a container's main process. */
@FunctionalInterface
public interface CommandTarget {

    /** Where the command's output goes; each call returns once the bytes are on their way. */
    interface Output {
        void stdout(byte[] bytes) throws IOException;

        void stderr(byte[] bytes) throws IOException;
    }

    /** The command, running. */
    interface Running {
        /** Its standard input, when the session carries one. */
        Optional<OutputStream> stdin();

        /** Completes with the exit code once the command has ended and all its output was handed over. */
        CompletableFuture<Integer> exit();

        /** The client's terminal changed size. */
        void resize(TerminalSize size);

        /** The client went away: end the command (exec) or stop following it (attach). */
        void cancel();
    }

    /**
     * Starts the command; {@code terminal} is its initial terminal size when the session has one.
     * A command that cannot start throws, with the message the client should read.
     */
    Running start(Output output, Optional<TerminalSize> terminal) throws IOException;
}
