package dev.konductor.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks a Service over and over from the host, each request on a connection of its own (so the
 * proxy picks a backend for each), and notes when each answer (a pod's host name) first came.
 */
final class ServiceAnswers implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 2000;

    private final InetSocketAddress service;
    private final Map<String, Instant> firstAnswers = new ConcurrentHashMap<>();
    private final Thread asker;
    private volatile boolean closed;

    private ServiceAnswers(InetSocketAddress service) {
        this.service = service;
        this.asker = Thread.ofVirtual().name("service-answers").start(this::askUntilClosed);
    }

    /** Starts asking {@code GET /} of {@code address:port}. */
    static ServiceAnswers start(String address, int port) {
        return new ServiceAnswers(new InetSocketAddress(address, port));
    }

    private void askUntilClosed() {
        while (!closed) {
            try {
                String body = ask();
                if (!body.isEmpty()) {
                    firstAnswers.putIfAbsent(body, Instant.now());
                }
            } catch (IOException refusedOrTimedOut) {
                // counts as no answer; the next request may fare better
            }
        }
    }

    private String ask() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(service, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            return response.startsWith("HTTP/1.") && response.contains(" 200 ") && body >= 0
                    ? response.substring(body + 4).strip() : "";
        }
    }

    /** Answer (the pod's host name) to the moment it first came. */
    Map<String, Instant> firstAnswers() {
        return Map.copyOf(firstAnswers);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        asker.join(5000);
    }
}
