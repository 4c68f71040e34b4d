package dev.konductor.proxy.ingress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP server on loopback standing in for a pod: answers every request with its own
 * name and what it saw, one {@code key=value} per line, and counts requests and the distinct
 * client connections they came on.
 */
final class TestBackend implements AutoCloseable {

    private final String name;
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    TestBackend(String name) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        clientPorts.add(exchange.getRemoteAddress().getPort());
        byte[] requestBody;
        try (InputStream in = exchange.getRequestBody()) {
            requestBody = in.readAllBytes();
        }
        var headers = exchange.getRequestHeaders();
        String body = "backend=" + name + "\n"
                + "method=" + exchange.getRequestMethod() + "\n"
                + "uri=" + exchange.getRequestURI() + "\n"
                + "host=" + headers.getFirst("Host") + "\n"
                + "x-forwarded-for=" + headers.getFirst("X-Forwarded-For") + "\n"
                + "x-forwarded-proto=" + headers.getFirst("X-Forwarded-Proto") + "\n"
                + "x-forwarded-host=" + headers.getFirst("X-Forwarded-Host") + "\n"
                + "x-real-ip=" + headers.getFirst("X-Real-Ip") + "\n"
                + "connection=" + headers.getFirst("Connection") + "\n"
                + "x-secret=" + headers.getFirst("X-Secret") + "\n"
                + "body-length=" + requestBody.length + "\n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.getResponseHeaders().set("X-Backend", name);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(200, -1);
        } else if (exchange.getRequestURI().getPath().endsWith("/chunked")) {
            exchange.sendResponseHeaders(200, 0); // chunked
            exchange.getResponseBody().write(bytes);
        } else {
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    String name() {
        return name;
    }

    int port() {
        return server.getAddress().getPort();
    }

    int requests() {
        return requests.get();
    }

    int connections() {
        return clientPorts.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
