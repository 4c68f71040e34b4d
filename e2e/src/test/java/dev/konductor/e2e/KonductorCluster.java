package dev.konductor.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code konductor server} in its own JVM on a free port, driven with the real kubectl.
 * HOME points into the data dir so kubectl's discovery and /version caches start empty.
 */
final class KonductorCluster implements AutoCloseable {

    private static final long PROCESS_HANG = 180;
    /**
     * How long a server may take to answer /readyz. Measured on 2 cores: at a load average of 40,
     * 91 s from process start to ready (the API server alone 41 s), and a restart on the same data
     * did not make it in 90 s; at 60 (CI's worst), a start was not ready after 180 s. A process then
     * gets a thirtieth of a core for the few seconds of CPU a start needs.
     */
    static final Duration STARTUP = Duration.ofMinutes(5);

    /**
     * Held by tests whose server runs a node on the host's network with its defaults: its cluster
     * DNS on port 53 of the host's address, its Ingress controller on ports 80 and 443. Two such
     * servers at once cannot both bind them.
     */
    static final String HOST_NETWORK_NODE = "a node on the host's address and ports 53, 80, 443";

    final Path dir;
    final int port;
    private final List<String> args;
    /** What the server's command line starts with to run as another user (setpriv ...); empty for this JVM's user. */
    private final List<String> asUser;
    private final String classPath;
    private Process server;
    private final List<Process> sims = new ArrayList<>();

    private KonductorCluster(Path dir, int port, List<String> args) {
        this(dir, port, args, List.of(), System.getProperty("java.class.path"));
    }

    private KonductorCluster(Path dir, int port, List<String> args, List<String> asUser, String classPath) {
        this.dir = dir;
        this.port = port;
        this.args = args;
        this.asUser = List.copyOf(asUser);
        this.classPath = classPath;
    }

    static KonductorCluster start() throws Exception {
        return start("--runtime", "none");
    }

    /** A server started with {@code args} after its data dir and port (e.g. "--runtime", "sim"). */
    static KonductorCluster start(String... args) throws Exception {
        return startIn(Path.of(System.getProperty("java.io.tmpdir")), "konductor-e2e", args);
    }

    /** As {@link #start(String...)}, with its directory made in {@code parent} under a name starting {@code prefix}. */
    static KonductorCluster startIn(Path parent, String prefix, String... args) throws Exception {
        Path dir = Files.createTempDirectory(parent, prefix);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        KonductorCluster cluster = new KonductorCluster(dir, port, List.of(args));
        try {
            cluster.launch();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * As {@link #startIn}, with the server running as user and group {@code uid} (setpriv) when
     * this JVM is root: its directory is that user's, and the class path entries that user could
     * not read (the local Maven repository under /root) are copied into it.
     */
    static KonductorCluster startAsUser(Path parent, String prefix, int uid, String... args) throws Exception {
        Path dir = Files.createTempDirectory(parent, prefix);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> asUser = List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--");
        KonductorCluster cluster = new KonductorCluster(dir, port, List.of(args), asUser,
                UserClassPath.readableCopy(System.getProperty("java.class.path"), dir.resolve("classpath")));
        try {
            UserClassPath.chownTree(dir, uid);
            cluster.launch();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void launch() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(asUser);
        command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                "dev.konductor.server.Main", "server", "--data-dir", dir.resolve("data").toString(),
                "--port", Integer.toString(port)));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()));
        if (!asUser.isEmpty()) {
            builder.environment().put("HOME", dir.toString());
        }
        server = builder.start();
        awaitReady(STARTUP);
    }

    /** The server's log so far. */
    String serverLog() throws IOException {
        return Files.readString(dir.resolve("server.log"));
    }

    /** SIGKILLs the server (no shutdown hook runs), as a power cut would. */
    void killHard() throws InterruptedException {
        server.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }

    /** Starts the server again on the same data directory and port. */
    void restart() throws Exception {
        launch();
    }

    /** The server's process id. */
    long serverPid() {
        return server.pid();
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("server exited: " + Files.readString(dir.resolve("server.log")));
            }
            if (Files.exists(kubeconfig()) && kubectl("get", "--raw", "/readyz").exitCode() == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("server not ready: " + Files.readString(dir.resolve("server.log")));
    }

    /**
     * Starts {@code konductor sim} with {@code nodes} simulated nodes named {@code prefix-i} in its
     * own JVM; it is stopped (by PID) with the cluster, or earlier by {@link #stopSim}.
     */
    Process sim(String prefix, int nodes, String... extra) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "dev.konductor.server.Main", "sim", "--nodes", Integer.toString(nodes), "--name-prefix", prefix,
                "--kubeconfig", kubeconfig().toString()));
        command.addAll(List.of(extra));
        Process sim = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sim-" + prefix + ".log").toFile()).start();
        synchronized (sims) {
            sims.add(sim);
        }
        return sim;
    }

    /** Kills a sim process at once, as a node that loses power: its heartbeats just stop. */
    void stopSim(Process sim) throws InterruptedException {
        sim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Polls kubectl until {@code condition} holds on its output, failing after {@code timeout}. */
    Result eventually(Duration timeout, java.util.function.Predicate<Result> condition, String... args)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Result last = null;
        while (System.nanoTime() < deadline) {
            last = kubectl(args);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting on kubectl " + String.join(" ", args) + "; last: " + last);
    }

    Path kubeconfig() {
        return dir.resolve("data").resolve("kubeconfig.yaml");
    }

    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /**
     * Starts kubectl against this cluster without waiting for it, for a command that streams (a
     * watch): the caller reads its output and destroys it. What it prints on stderr is dropped.
     */
    Process startKubectl(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("/usr/bin/kubectl");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("KUBECONFIG", kubeconfig().toString());
        pb.environment().put("HOME", dir.toString());
        return pb.start();
    }

    /** kubectl with nothing but the server, its CA and {@code token}: no admin certificate to fall back on. */
    Result kubectlWithToken(String token, String... args) throws IOException, InterruptedException {
        Path ca = dir.resolve("data").resolve("tls").resolve("ca.crt");
        List<String> all = new ArrayList<>(List.of("--kubeconfig=/dev/null",
                "--server=https://127.0.0.1:" + port, "--certificate-authority=" + ca, "--token=" + token));
        all.addAll(List.of(args));
        return kubectl(all.toArray(String[]::new));
    }

    Result kubectl(String... args) throws IOException, InterruptedException {
        return kubectlWithInput(null, args);
    }

    Result kubectlWithInput(String stdin, String... args) throws IOException, InterruptedException {
        return run("/usr/bin/kubectl", stdin, args);
    }

    Result run(String binary, String stdin, String... args) throws IOException, InterruptedException {
        return runAs(binary, dir, java.util.Map.of(), stdin, args);
    }

    /** Runs {@code binary} against this cluster with its own HOME (kubectl's caches) and extra environment. */
    Result runAs(String binary, Path home, java.util.Map<String, String> env, String stdin, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("KUBECONFIG", kubeconfig().toString());
        pb.environment().put("HOME", home.toString());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        // a guard against a hung kubectl (or python client), so longer than any --timeout a test gives
        // kubectl itself (at most 120 s): cut at 60 s, a rollout status that a loaded machine made slow
        // failed here with "timed out" instead of kubectl's own verdict
        if (!p.waitFor(PROCESS_HANG, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Override
    public void close() {
        synchronized (sims) {
            for (Process sim : sims) {
                sim.destroy();
                try {
                    if (!sim.waitFor(10, TimeUnit.SECONDS)) {
                        sim.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    sim.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (server != null) {
            stopServer();
        }
        keepLogs();
        if (System.getenv("KONDUCTOR_E2E_KEEP") == null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temporary directory is harmless
            }
        }
    }

    /** Server and sim logs outlive the temporary directory, in target/e2e-logs, for failed runs. */
    private void keepLogs() {
        try (var logs = Files.list(dir)) {
            Path target = Path.of("target", "e2e-logs", dir.getFileName().toString());
            Files.createDirectories(target);
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.copy(log, target.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException ignored) {
            // logs are a courtesy
        }
    }

    /**
     * SIGTERM, then as long as {@code konductor down} waits (90 s) before SIGKILL: a node stops its
     * containers before its proxy, which only then removes its nftables tables.
     */
    private void stopServer() {
        server.destroy();
        try {
            if (!server.waitFor(90, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
