package dev.konductor.store.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A single-member etcd server started as a child process, listening on loopback only: for tests,
 * end-to-end runs and benchmarks that need a real etcd. {@link #close()} stops it (and a JVM
 * shutdown hook does, if the caller never gets to).
 *
 * <pre>{@code
 * try (EtcdProcess etcd = EtcdProcess.start(tempDir)) {
 *     Store store = EtcdStore.connect(List.of(etcd.endpoint()));
 * }
 * }</pre>
 */
public final class EtcdProcess implements AutoCloseable {

    /** Debian's etcd-server package installs it here. */
    public static final Path DEFAULT_EXECUTABLE = Path.of("/usr/bin/etcd");

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final int PORT_ATTEMPTS = 3;

    private final Process process;
    private final URI endpoint;
    private final Path logFile;
    private final Thread shutdownHook;

    private EtcdProcess(Process process, URI endpoint, Path logFile) {
        this.process = process;
        this.endpoint = endpoint;
        this.logFile = logFile;
        this.shutdownHook = new Thread(process::destroyForcibly, "etcd-shutdown-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The etcd executable to use: {@link #DEFAULT_EXECUTABLE} or the first {@code etcd} on the PATH. */
    public static Optional<Path> findExecutable() {
        if (Files.isExecutable(DEFAULT_EXECUTABLE)) {
            return Optional.of(DEFAULT_EXECUTABLE);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "etcd");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts etcd with its data in {@code dataDir} (created if needed; reuse it to restart with
     * the same data) and waits until it reports healthy.
     *
     * @throws IllegalStateException if no etcd executable is installed, or it does not become healthy
     */
    public static EtcdProcess start(Path dataDir) {
        Path executable = findExecutable().orElseThrow(
                () -> new IllegalStateException("no etcd executable at " + DEFAULT_EXECUTABLE + " or on the PATH"));
        IllegalStateException last = null;
        // The ports are free when chosen, but another process may take one before etcd binds it.
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            try {
                return startOnce(executable, dataDir);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * Starts etcd on the given loopback ports (a benchmark sharing the machine keeps to the ports
     * it was given) and waits until it reports healthy.
     *
     * @throws IllegalStateException if no etcd executable is installed, or it does not become healthy
     */
    public static EtcdProcess start(Path dataDir, int clientPort, int peerPort) {
        Path executable = findExecutable().orElseThrow(
                () -> new IllegalStateException("no etcd executable at " + DEFAULT_EXECUTABLE + " or on the PATH"));
        return startOnce(executable, dataDir, clientPort, peerPort);
    }

    private static EtcdProcess startOnce(Path executable, Path dataDir) {
        return startOnce(executable, dataDir, freePort(), freePort());
    }

    private static EtcdProcess startOnce(Path executable, Path dataDir, int clientPort, int peerPort) {
        URI client = URI.create("http://127.0.0.1:" + clientPort);
        String peer = "http://127.0.0.1:" + peerPort;
        try {
            Files.createDirectories(dataDir);
            Path logFile = dataDir.resolve("etcd.log");
            Process process = new ProcessBuilder(List.of(executable.toString(),
                    "--name", "default",
                    "--data-dir", dataDir.resolve("member-data").toString(),
                    "--listen-client-urls", client.toString(),
                    "--advertise-client-urls", client.toString(),
                    "--listen-peer-urls", peer,
                    "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", "default=" + peer))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            EtcdProcess etcd = new EtcdProcess(process, client, logFile);
            try {
                etcd.awaitHealthy();
            } catch (RuntimeException e) {
                etcd.close();
                throw e;
            }
            return etcd;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + executable, e);
        }
    }

    /** The client URL, {@code http://127.0.0.1:port}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The process id, for logs. */
    public long pid() {
        return process.pid();
    }

    /** Where etcd's own output goes. */
    public Path logFile() {
        return logFile;
    }

    private void awaitHealthy() {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpRequest health = HttpRequest.newBuilder(endpoint.resolve("/health")).timeout(Duration.ofSeconds(2)).build();
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("etcd exited with status " + process.exitValue() + "; see " + logFile);
                }
                try {
                    HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && response.body().contains("true")) {
                        return;
                    }
                } catch (IOException notYet) {
                    // Not listening yet.
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for etcd", e);
        }
        throw new IllegalStateException("etcd did not become healthy within " + STARTUP_TIMEOUT + "; see " + logFile);
    }

    /** Stops etcd: a polite SIGTERM first, then SIGKILL if it has not exited after a few seconds. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to; it kills the process anyway.
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
