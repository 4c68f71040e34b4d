package dev.konductor.kubelet.process.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.streaming.remotecommand.StreamType;
import dev.konductor.streaming.spdy.SpdyServerSession;
import dev.konductor.streaming.spdy.SpdyStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec or attach session over SPDY, {@code v4.channel.k8s.io}, as upstream's streaming
 * server runs it: waits for the client's streams (error, and stdin, stdout, stderr, resize as
 * asked), starts the command, carries stdin to it and its output back, applies terminal resizes,
 * and ends with a Status on the error stream (the exit code for exec). A client that goes away
 * ends the command.
 */
final class RemoteCommandSession {

    private static final Logger log = LoggerFactory.getLogger(RemoteCommandSession.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Upstream's streamCreationTimeout: how long the client may take to open its streams. */
    static final Duration STREAMS_TIMEOUT = Duration.ofSeconds(30);
    /** How long a terminal session waits for the client's first size before starting at 80x24. */
    static final Duration FIRST_SIZE_TIMEOUT = Duration.ofSeconds(1);
    /** How long the client has to read the end of the session and hang up. */
    static final Duration LINGER = Duration.ofSeconds(5);

    private final SpdyServerSession spdy;
    private final Session.RemoteCommand request;
    private final Map<String, SpdyStream> streams = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> allOpened = new CompletableFuture<>();
    private final CompletableFuture<Void> connectionEnded = new CompletableFuture<>();
    private final CompletableFuture<TerminalSize> firstSize = new CompletableFuture<>();
    private volatile CommandTarget.Running running; // once started: where resizes go

    RemoteCommandSession(SpdyServerSession spdy, Session.RemoteCommand request) {
        this.spdy = spdy;
        this.request = request;
    }

    void run() {
        Set<String> expected = new HashSet<>(request.options().streamTypes());
        Thread.ofVirtual().name("remotecommand-reader").start(() -> {
            spdy.run(stream -> {
                streams.putIfAbsent(stream.header(StreamType.HEADER), stream);
                if (streams.keySet().containsAll(expected)) {
                    allOpened.complete(null);
                }
            });
            connectionEnded.complete(null);
            allOpened.completeExceptionally(new IOException("the client went away before opening its streams"));
        });
        try {
            allOpened.get(STREAMS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.debug("{} session ended before it began: {}", request.kind(), e.toString());
            spdy.close();
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            spdy.close();
            return;
        }
        try {
            serve();
        } finally {
            spdy.close();
        }
    }

    private void serve() {
        Optional<TerminalSize> terminal = Optional.empty();
        if (request.options().tty()) {
            stream(StreamType.RESIZE).ifPresent(resize -> Thread.ofVirtual().name("remotecommand-resize")
                    .start(() -> readSizes(resize.input())));
            terminal = Optional.of(await(firstSize, FIRST_SIZE_TIMEOUT).orElse(TerminalSize.DEFAULT));
        }
        CommandTarget.Running command;
        try {
            command = request.target().start(new StreamOutput(), terminal);
        } catch (IOException e) {
            finish(ExitStatuses.internalError("error executing command in container: " + e.getMessage()));
            return;
        }
        running = command;
        stream(StreamType.STDIN).ifPresent(stdin -> Thread.ofVirtual().name("remotecommand-stdin")
                .start(() -> copyStdin(stdin, command.stdin())));
        CompletableFuture.anyOf(command.exit(), connectionEnded).join();
        if (!command.exit().isDone()) {
            log.debug("{} session: the client went away; ending it", request.kind());
            command.cancel();
            return;
        }
        int code = command.exit().join();
        finish(request.kind().equals("attach") ? ExitStatuses.of(0, List.of()) : ExitStatuses.of(code, request.command()));
    }

    /** Ends the output streams, then says how it went on the error stream; lets the client hang up first. */
    private void finish(byte[] status) {
        stream(StreamType.STDOUT).ifPresent(SpdyStream::closeWrite);
        stream(StreamType.STDERR).ifPresent(SpdyStream::closeWrite);
        stream(StreamType.ERROR).ifPresent(error -> {
            try {
                error.output().write(status);
            } catch (IOException e) {
                log.debug("cannot write the session's status: {}", e.getMessage());
            }
            error.closeWrite();
        });
        await(connectionEnded, LINGER);
    }

    private void copyStdin(SpdyStream from, Optional<OutputStream> to) {
        byte[] buffer = new byte[32 * 1024];
        InputStream in = from.input();
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (n > 0 && to.isPresent()) {
                    to.get().write(buffer, 0, n);
                    to.get().flush();
                }
            }
        } catch (IOException e) {
            log.debug("stdin of a {} session ended: {}", request.kind(), e.getMessage());
            from.closeInput();
        } finally {
            to.ifPresent(RemoteCommandSession::closeQuietly);
        }
    }

    /** The resize stream: one JSON object per change, {@code {"Width":80,"Height":24}}. */
    private void readSizes(InputStream in) {
        try (MappingIterator<JsonNode> sizes = JSON.readerFor(JsonNode.class).readValues(in)) {
            while (sizes.hasNextValue()) {
                JsonNode size = sizes.nextValue();
                TerminalSize parsed = new TerminalSize(size.path("Width").asInt(), size.path("Height").asInt());
                if (!firstSize.complete(parsed) && running != null) {
                    running.resize(parsed);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("resize stream ended: {}", e.toString());
        }
    }

    private Optional<SpdyStream> stream(String type) {
        return Optional.ofNullable(streams.get(type));
    }

    private static <T> Optional<T> await(CompletableFuture<T> future, Duration timeout) {
        try {
            return Optional.ofNullable(future.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // the command no longer reads its stdin
        }
    }

    /** The command's output, onto the streams the client opened (what it did not ask for is dropped). */
    private final class StreamOutput implements CommandTarget.Output {
        @Override
        public void stdout(byte[] bytes) throws IOException {
            write(StreamType.STDOUT, bytes);
        }

        @Override
        public void stderr(byte[] bytes) throws IOException {
            // with a terminal there is no stderr stream: the terminal merged it into stdout
            write(request.options().tty() ? StreamType.STDOUT : StreamType.STDERR, bytes);
        }

        private void write(String type, byte[] bytes) throws IOException {
            Optional<SpdyStream> stream = stream(type);
            if (stream.isPresent()) {
                stream.get().output().write(bytes);
            }
        }
    }
}
