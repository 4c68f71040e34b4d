package dev.konductor.bench;

import dev.konductor.server.kubeconfig.Kubeconfig;
import dev.konductor.server.local.ReadinessProbe;
import dev.konductor.store.etcd.EtcdProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A {@code konductor server} started through the real launcher as a child process (plus a real
 * etcd for the etcd backend), stopped by PID when closed.
 */
final class ServerUnderTest implements AutoCloseable {

    /** A busy shared machine has taken half a minute to start a server. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path dataDir;
    private final ChildProcess process;
    private final EtcdProcess etcd;
    private final long readyMillis;
    private final URI url;
    private final SSLContext tls;
    private boolean keepData;

    private ServerUnderTest(Path dataDir, ChildProcess process, EtcdProcess etcd, long readyMillis, URI url,
                            SSLContext tls) {
        this.dataDir = dataDir;
        this.process = process;
        this.etcd = etcd;
        this.readyMillis = readyMillis;
        this.url = url;
        this.tls = tls;
    }

    /**
     * One server start that is not timed, before those that are. When the launcher's AOT cache
     * for {@code server --runtime none} does not fit the build (or the JVM options), this start is its training
     * run (slower to start, and to stop), as the launcher says in the server's log; it is then
     * kept up a few seconds so the cache has more than the start in it. And it warms this JVM's
     * TLS client: building the SSL context and the first handshake of a cold benchmark JVM take a
     * second of this machine's CPU, which is the client's start, not the server's.
     */
    static void warmUp(Path repo) throws Exception {
        try (ServerUnderTest warmUp = start(repo, "sqlite")) {
            if (Files.readString(warmUp.dataDir().resolve("bench-server.log")).contains("training its AOT cache")) {
                System.err.println("training the launcher's AOT cache for 'server --runtime none' (first start after a build)");
                Thread.sleep(5000);
            }
        }
    }

    static ServerUnderTest start(Path repo, String datastore) throws Exception {
        return start(repo, datastore, freePort(), 0, List.of());
    }

    /**
     * Starts a server on {@code datastore} on {@code port}, with its data in a new directory
     * {@code /tmp/kb-*}, and waits until /readyz answers 200.
     *
     * @param etcdPort  with etcd: its client port, the peer port being the next one; 0 picks free ones
     * @param extraArgs more {@code konductor server} options, e.g. {@code --scheduler-config F}
     */
    static ServerUnderTest start(Path repo, String datastore, int port, int etcdPort, List<String> extraArgs)
            throws Exception {
        Path dataDir = Files.createTempDirectory("kb-" + datastore + "-");
        EtcdProcess etcd = null;
        String storeArg = "sqlite";
        if (datastore.equals("etcd")) {
            etcd = etcdPort == 0 ? EtcdProcess.start(dataDir.resolve("etcd"))
                    : EtcdProcess.start(dataDir.resolve("etcd"), etcdPort, etcdPort + 1);
            storeArg = "etcd://" + etcd.endpoint().getHost() + ":" + etcd.endpoint().getPort();
        }
        return start(repo, dataDir, port, List.of("--bind-address", "127.0.0.1", "--datastore", storeArg,
                "--runtime", "none"), extraArgs, etcd);
    }

    /**
     * Starts {@code konductor server --data-dir DATADIR --port PORT ARGS...} (port 0: a free one)
     * and waits until /readyz answers 200; {@code dataDir} is removed on close.
     */
    static ServerUnderTest start(Path repo, Path dataDir, int port, List<String> args, EtcdProcess etcd) throws Exception {
        return start(repo, dataDir, port, args, List.of(), etcd);
    }

    private static ServerUnderTest start(Path repo, Path dataDir, int port, List<String> args, List<String> extraArgs,
                                         EtcdProcess etcd) throws Exception {
        if (port == 0) {
            port = freePort();
        }
        long begin = System.nanoTime();
        List<String> command = new java.util.ArrayList<>(List.of(repo.resolve("konductor").toString(), "server",
                "--data-dir", dataDir.toString(), "--port", Integer.toString(port)));
        command.addAll(args);
        command.addAll(extraArgs);
        ChildProcess process = ChildProcess.start(new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("bench-server.log").toFile()));
        try {
            return awaitReady(dataDir, process, etcd, begin, URI.create("https://127.0.0.1:" + port));
        } catch (Exception | Error e) {
            process.close();
            if (etcd != null) {
                etcd.close();
            }
            throw e;
        }
    }

    private static ServerUnderTest awaitReady(Path dataDir, ChildProcess process, EtcdProcess etcd, long begin, URI url)
            throws Exception {
        Path kubeconfig = dataDir.resolve("kubeconfig.yaml");
        long deadline = begin + READY_TIMEOUT.toNanos();
        SSLContext tls = null;
        HttpClient client = null; // one client, as a real poller keeps its connection: not a TLS handshake per poll
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("server exited; see " + dataDir.resolve("bench-server.log"));
                }
                if (tls == null && Files.exists(kubeconfig)) {
                    try {
                        tls = ReadinessProbe.sslContext(Kubeconfig.read(kubeconfig));
                        client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(1)).build();
                    } catch (RuntimeException stillBeingWritten) {
                        tls = null;
                    }
                }
                if (client != null && readyz(client, url)) {
                    long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
                    return new ServerUnderTest(dataDir, process, etcd, readyMillis, url, tls);
                }
                Thread.sleep(10);
            }
        } finally {
            if (client != null) {
                client.close();
            }
        }
        throw new IllegalStateException("server not ready within " + READY_TIMEOUT + "; see "
                + dataDir.resolve("bench-server.log"));
    }

    private static boolean readyz(HttpClient client, URI url) {
        try {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(url.resolve("/readyz"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Whether {@link #close()} leaves the data directory (and the logs in it) behind. */
    void keepData(boolean keep) {
        this.keepData = keep;
    }

    long pid() {
        return process.pid();
    }

    Path dataDir() {
        return dataDir;
    }

    Path kubeconfig() {
        return dataDir.resolve("kubeconfig.yaml");
    }

    long readyMillis() {
        return readyMillis;
    }

    URI url() {
        return url;
    }

    SSLContext tls() {
        return tls;
    }

    /** The server JVM's resident set in MiB (the launcher execs java, so its PID is the JVM's). */
    double rssMiB() throws IOException {
        return rssMiB(process.pid());
    }

    /** CPU time the server has used so far, user and system, all threads. */
    double cpuMillis() throws IOException {
        return ProcessCpu.totalMillis(process.pid());
    }

    /** The resident set of process {@code pid} in MiB, from /proc/PID/status. */
    static double rssMiB(long pid) throws IOException {
        List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
        for (String line : status) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    @Override
    public void close() throws Exception {
        process.close(); // SIGTERM: the server shuts down cleanly
        if (etcd != null) {
            etcd.close();
        }
        if (keepData) {
            return;
        }
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
