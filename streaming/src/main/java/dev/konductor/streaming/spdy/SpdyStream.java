package dev.konductor.streaming.spdy;

import dev.konductor.streaming.InboundQueue;
import dev.konductor.streaming.QueueInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One stream of a {@link SpdyServerSession}, opened by the client: its headers (Kubernetes names
 * each stream's role in {@code streamtype}), what the client sends on it ({@link #input()}, at
 * its end once the client half-closes, resets the stream or the connection ends), and what the
 * server sends back ({@link #output()}, data frames; {@link #closeWrite()} half-closes).
 */
public final class SpdyStream {

    /** The most one data frame carries. */
    static final int MAX_DATA = 32 * 1024;

    private final SpdyServerSession session;
    private final int id;
    private final Map<String, String> headers;
    private final InboundQueue inbound;
    private final InputStream input;
    private final OutputStream output = new DataOutput();
    private boolean paused; // guarded by this
    private boolean writeClosed; // guarded by this
    private volatile boolean reset;

    SpdyStream(SpdyServerSession session, int id, Map<String, String> headers) {
        this.session = session;
        this.id = id;
        this.headers = Map.copyOf(headers);
        this.inbound = new InboundQueue(this::reading);
        this.input = new QueueInputStream(inbound);
    }

    public int id() {
        return id;
    }

    /** A header of the stream's SYN_STREAM (names are lower case), or {@code ""}. */
    public String header(String name) {
        return headers.getOrDefault(name, "");
    }

    public InputStream input() {
        return input;
    }

    public OutputStream output() {
        return output;
    }

    /** Half-closes the server's direction (an empty data frame with FIN); once only. */
    public void closeWrite() {
        synchronized (this) {
            if (writeClosed || reset) {
                return;
            }
            writeClosed = true;
        }
        try {
            session.send(List.of(new SpdyFrame.Data(id, new byte[0], true)));
        } catch (IOException e) {
            // the client is gone: nothing more to end
        }
    }

    /** Stops reading this stream: what the client still sends on it is dropped. */
    public void closeInput() {
        inbound.discard();
        reading(true);
    }

    void received(byte[] data, boolean last) {
        if (data.length > 0) {
            inbound.offer(data);
        }
        if (last) {
            endInput();
        }
    }

    void endInput() {
        inbound.end();
    }

    void wasReset() {
        reset = true;
        closeInput();
    }

    private void reading(boolean on) {
        synchronized (this) {
            if (paused == !on) {
                return;
            }
            paused = !on;
        }
        session.reading(on);
    }

    private final class DataOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (SpdyStream.this) {
                if (writeClosed || reset) {
                    throw new IOException("stream " + id + " is closed");
                }
            }
            for (int at = off; at < off + len; at += MAX_DATA) {
                int n = Math.min(MAX_DATA, off + len - at);
                session.send(List.of(new SpdyFrame.Data(id, Arrays.copyOfRange(b, at, at + n), false)));
            }
        }
    }
}
