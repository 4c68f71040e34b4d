package dev.konductor.kubelet.process.sessions;

import dev.konductor.streaming.spdy.SpdyServerSession;
import dev.konductor.streaming.spdy.SpdyStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port-forward session over SPDY, {@code portforward.k8s.io}, as upstream's streaming server
 * runs it: for every connection kubectl accepts locally it opens an error stream and a data
 * stream with the same {@code requestid} and the pod's {@code port}; the server connects to that
 * port and copies both ways, or writes why it could not on the error stream. The session lasts
 * until the client hangs up; its connections go with it.
 */
final class PortForwardSession {

    private static final Logger log = LoggerFactory.getLogger(PortForwardSession.class);
    static final String ERROR = "error";
    static final String DATA = "data";

    /** The two streams of one forwarded connection, as they arrive. */
    private static final class Pair {
        SpdyStream error;
        SpdyStream data;
    }

    private final SpdyServerSession spdy;
    private final Session.Dialer dialer;
    private final Map<String, Pair> pairs = new ConcurrentHashMap<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    PortForwardSession(SpdyServerSession spdy, Session.Dialer dialer) {
        this.spdy = spdy;
        this.dialer = dialer;
    }

    void run() {
        try {
            spdy.run(this::opened);
        } finally {
            sockets.forEach(PortForwardSession::closeQuietly);
            spdy.close();
        }
    }

    private void opened(SpdyStream stream) {
        String requestId = stream.header("requestid");
        Pair pair = pairs.computeIfAbsent(requestId, id -> new Pair());
        boolean complete;
        synchronized (pair) {
            switch (stream.header("streamtype")) {
                case ERROR -> pair.error = stream;
                case DATA -> pair.data = stream;
                default -> {
                    log.debug("port-forward: ignoring a stream of type {}", stream.header("streamtype"));
                    stream.closeInput();
                    return;
                }
            }
            complete = pair.error != null && pair.data != null;
        }
        if (complete) {
            pairs.remove(requestId);
            Thread.ofVirtual().name("portforward-" + requestId).start(() -> forward(pair.error, pair.data));
        }
    }

    private void forward(SpdyStream error, SpdyStream data) {
        error.closeInput(); // the client sends nothing on it
        String portHeader = data.header("port");
        int port;
        try {
            port = Integer.parseInt(portHeader);
        } catch (NumberFormatException e) {
            fail(error, data, "invalid port \"" + portHeader + "\"");
            return;
        }
        Socket socket;
        try {
            socket = dialer.dial(port);
        } catch (IOException e) {
            fail(error, data, "error forwarding port " + port + " to pod: failed to connect to localhost:" + port
                    + " on the node: " + e.getMessage());
            return;
        }
        sockets.add(socket);
        try {
            Thread back = Thread.ofVirtual().name("portforward-back").start(() -> toClient(socket, data));
            toPod(data, socket);
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sockets.remove(socket);
            closeQuietly(socket);
            error.closeWrite();
        }
    }

    /** The client's bytes to the pod's port, then a half-close once the client has sent all. */
    private static void toPod(SpdyStream data, Socket socket) {
        try {
            copy(data.input(), socket.getOutputStream());
            socket.shutdownOutput();
        } catch (IOException e) {
            data.closeInput();
        }
    }

    /** The pod's answers to the client, then FIN on the data stream. */
    private static void toClient(Socket socket, SpdyStream data) {
        try {
            copy(socket.getInputStream(), data.output());
        } catch (IOException e) {
            log.debug("port-forward connection ended: {}", e.getMessage());
        } finally {
            data.closeWrite();
            data.closeInput();
        }
    }

    private static void fail(SpdyStream error, SpdyStream data, String message) {
        log.debug("port-forward failed: {}", message);
        try {
            error.output().write(message.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the client is gone
        }
        error.closeWrite();
        data.closeWrite();
        data.closeInput();
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[32 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            if (n > 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that was asked
        }
    }
}
