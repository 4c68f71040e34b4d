package dev.konductor.streaming;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;

/**
 * A connected socket (plain or TLS) as a {@link Duplex}. Its input is buffered, so an HTTP head
 * can be read from it byte by byte and the upgraded protocol read on from the same stream.
 */
public final class SocketDuplex implements Duplex {

    private final Socket socket;
    private final InputStream input;
    private final OutputStream output;

    public SocketDuplex(Socket socket) throws IOException {
        this.socket = socket;
        this.input = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.output = socket.getOutputStream();
    }

    /** Bounds each read (a handshake that must not hang); {@link Duration#ZERO} for none. */
    public void readTimeout(Duration timeout) throws SocketException {
        socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that was asked; the peer sees the connection end either way
        }
    }

    @Override
    public String toString() {
        return "SocketDuplex[" + socket.getRemoteSocketAddress() + "]";
    }
}
