package dev.konductor.streaming.spdy;

import dev.konductor.streaming.Duplex;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The serving side of a SPDY/3.1 connection as Kubernetes' stream protocols use it (Go's
 * spdystream, which container runtimes serve exec, attach and port-forward with): the client
 * opens the streams, each of which is answered with a SYN_REPLY (client-go waits for it) and
 * handed to the {@link StreamHandler}; data flows both ways and either side half-closes its
 * direction with FIN; pings are echoed.
 *
 * <p>{@link #run} is the one reader and returns when the connection ends; writes come from any
 * thread, one frame at a time. A stream whose reader falls behind pauses the reading of the whole
 * connection (as TCP would, spdystream doing no flow control either) until it has caught up or is
 * closed.
 */
public final class SpdyServerSession implements AutoCloseable {

    /** Told of each stream the client opens; must not block (hand the stream over instead). */
    @FunctionalInterface
    public interface StreamHandler {
        void opened(SpdyStream stream);
    }

    private final Duplex connection;
    private final SpdyEncoder encoder = new SpdyEncoder();
    private final Map<Integer, SpdyStream> streams = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    private int pausedStreams; // guarded by lock
    private volatile boolean closed;

    public SpdyServerSession(Duplex connection) {
        this.connection = connection;
    }

    /** Reads frames until the connection ends, then ends every stream's input. */
    public void run(StreamHandler handler) {
        byte[] buffer = new byte[32 * 1024];
        InputStream in = connection.input();
        try (SpdyDecoder decoder = new SpdyDecoder()) {
            for (int n; !closed && (n = in.read(buffer)) >= 0; ) {
                for (SpdyFrame frame : decoder.decode(buffer, 0, n)) {
                    dispatch(frame, handler);
                }
                awaitReaders();
            }
        } catch (IOException endedOrBroken) {
            // the client went away, or spoke something else than SPDY: either way the session is over
        } finally {
            closed = true;
            streams.values().forEach(SpdyStream::endInput);
        }
    }

    private void dispatch(SpdyFrame frame, StreamHandler handler) throws IOException {
        switch (frame) {
            case SpdyFrame.SynStream syn -> {
                SpdyStream stream = new SpdyStream(this, syn.streamId(), syn.headers());
                streams.put(syn.streamId(), stream);
                // the reply repeats the stream's headers: spdystream ignores them, but needs some (see SynReply)
                send(List.of(new SpdyFrame.SynReply(syn.streamId(), syn.headers(), false)));
                if (syn.last()) {
                    stream.endInput();
                }
                handler.opened(stream);
            }
            case SpdyFrame.Data data -> {
                SpdyStream stream = streams.get(data.streamId());
                if (stream != null) {
                    stream.received(data.data(), data.last());
                }
            }
            case SpdyFrame.RstStream rst -> {
                SpdyStream stream = streams.remove(rst.streamId());
                if (stream != null) {
                    stream.wasReset();
                }
            }
            case SpdyFrame.Ping ping -> send(List.of(ping));
            case SpdyFrame.GoAway ignored -> {
                // the client opens no more streams; those it has go on
            }
            case SpdyFrame.SynReply ignored -> {
                // the server opens no streams, so nothing is replied to
            }
            case SpdyFrame.Ignored ignored -> {
                // SETTINGS, WINDOW_UPDATE: no flow control here, as in spdystream
            }
        }
    }

    /** Writes frames in order; the encoder's header compression makes this the one writer. */
    void send(List<SpdyFrame> frames) throws IOException {
        if (closed) {
            throw new IOException("connection closed");
        }
        synchronized (encoder) {
            for (SpdyFrame frame : frames) {
                connection.output().write(encoder.encode(frame));
            }
        }
    }

    /** A stream's reader fell behind ({@code false}) or caught up ({@code true}). */
    void reading(boolean on) {
        lock.lock();
        try {
            pausedStreams += on ? -1 : 1;
            if (pausedStreams <= 0) {
                pausedStreams = 0;
                resumed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void awaitReaders() throws IOException {
        lock.lock();
        try {
            while (pausedStreams > 0 && !closed) {
                resumed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            lock.unlock();
        }
    }


    /** Tells the client that no more streams will be served (before {@link #close}, once a session is done). */
    public void goAway() {
        try {
            send(List.of(new SpdyFrame.GoAway(0)));
        } catch (IOException e) {
            // the client is gone already
        }
    }

    public boolean closed() {
        return closed;
    }

    /** Closes the connection; {@link #run} returns and every stream's input ends. */
    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
        connection.close();
        synchronized (encoder) {
            encoder.close();
        }
    }
}
