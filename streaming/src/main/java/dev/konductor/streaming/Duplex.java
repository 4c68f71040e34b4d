package dev.konductor.streaming;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One end of a byte stream both ways: an upgraded HTTP connection, a socket to a kubelet or a
 * runtime's streaming server, a WebSocket carrying a tunnel. {@link #input()} and
 * {@link #output()} return the same streams on every call; reads and writes block.
 * {@link #close()} may be called from any thread, any number of times, and unblocks a reader.
 */
public interface Duplex extends Closeable {

    InputStream input();

    /** Every write is sent before it returns (there is nothing to flush). */
    OutputStream output();

    @Override
    void close();
}
