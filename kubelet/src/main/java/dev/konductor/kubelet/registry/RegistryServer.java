package dev.konductor.kubelet.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.konductor.kubelet.images.Digests;
import dev.konductor.kubelet.images.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only OCI distribution (registry v2) endpoint over an {@link ImageStore}: what every
 * node's containerd uses as its mirror for docker.io and the other registries, so that pulls
 * (including pull policy Always) work offline and never leave the cluster.
 *
 * <p>containerd names the registry a mirrored request is for in the {@code ns} query parameter
 * ({@code /v2/library/busybox/manifests/latest?ns=docker.io}); without it, docker.io is meant.
 */
public final class RegistryServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RegistryServer.class);

    private final ImageStore store;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private RegistryServer(ImageStore store, HttpServer server) {
        this.store = store;
        this.server = server;
    }

    /** Listens on {@code address} (port 0 picks a free one) and serves until closed. */
    public static RegistryServer start(ImageStore store, InetSocketAddress address) throws IOException {
        HttpServer http = HttpServer.create(address, 64);
        RegistryServer registry = new RegistryServer(store, http);
        http.createContext("/", registry::handle);
        http.setExecutor(registry.executor);
        http.start();
        log.info("image registry listening address={} store={}", registry.address(), store.root());
        return registry;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://host:port}, as containerd's hosts.toml names it. */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD");
            exchange.getResponseHeaders().set("Docker-Distribution-API-Version", "registry/2.0");
            if (!head && !method.equals("GET")) {
                error(exchange, 405, "UNSUPPORTED", "this registry is read-only");
                return;
            }
            Optional<RegistryPath> parsed = RegistryPath.parse(exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery());
            if (parsed.isEmpty()) {
                error(exchange, 404, "NAME_UNKNOWN", "no such endpoint");
                return;
            }
            RegistryPath path = parsed.get();
            log.debug("registry request method={} path={}", method, exchange.getRequestURI());
            switch (path.kind()) {
                case BASE -> send(exchange, head, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), null);
                case MANIFEST -> manifest(exchange, head, path);
                case BLOB -> blob(exchange, head, path);
            }
        } catch (RuntimeException e) {
            log.warn("registry request failed uri={}", exchange.getRequestURI(), e);
            throw e;
        }
    }

    private void manifest(HttpExchange exchange, boolean head, RegistryPath path) throws IOException {
        Optional<ImageStore.Descriptor> target = path.isDigest()
                ? store.blob(path.reference()).map(file -> new ImageStore.Descriptor(mediaTypeOf(file), path.reference(), size(file)))
                : store.resolve(path.fullReference());
        if (target.isEmpty()) {
            error(exchange, 404, "MANIFEST_UNKNOWN", "manifest unknown: " + path.fullReference());
            return;
        }
        Optional<Path> file = store.blob(target.get().digest());
        if (file.isEmpty()) {
            error(exchange, 404, "MANIFEST_UNKNOWN", "manifest blob missing: " + target.get().digest());
            return;
        }
        sendFile(exchange, head, target.get().mediaType(), file.get(), target.get().digest());
    }

    private void blob(HttpExchange exchange, boolean head, RegistryPath path) throws IOException {
        Optional<Path> file = store.blob(path.reference());
        if (file.isEmpty()) {
            error(exchange, 404, "BLOB_UNKNOWN", "blob unknown to registry: " + path.reference());
            return;
        }
        sendFile(exchange, head, "application/octet-stream", file.get(), path.reference());
    }

    /** A manifest fetched by digest carries its media type in its own {@code mediaType} field. */
    private static String mediaTypeOf(Path file) {
        try {
            String type = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).path("mediaType").asText("");
            return type.isEmpty() ? "application/vnd.oci.image.manifest.v1+json" : type;
        } catch (IOException e) {
            return "application/octet-stream";
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void sendFile(HttpExchange exchange, boolean head, String contentType, Path file, String digest)
            throws IOException {
        long size = Files.size(file);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, size);
        try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
            in.transferTo(out);
        }
    }

    private static void send(HttpExchange exchange, boolean head, int status, String contentType, byte[] body, String digest)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (digest != null) {
            exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
        }
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        String body = "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\"", "'") + "\"}]}";
        send(exchange, exchange.getRequestMethod().equals("HEAD"), status, "application/json",
                body.getBytes(StandardCharsets.UTF_8), null);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    static boolean isDigest(String reference) {
        return Digests.isValid(reference);
    }
}
