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

    final Path dir;
    final int port;
    private final Process server;

    private KonductorCluster(Path dir, int port, Process server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    static KonductorCluster start() throws Exception {
        Path dir = Files.createTempDirectory("konductor-e2e");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.konductor.server.Main", "server", "--data-dir", dir.resolve("data").toString(),
                "--port", Integer.toString(port), "--runtime", "none")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile())
                .start();
        KonductorCluster cluster = new KonductorCluster(dir, port, process);
        try {
            cluster.awaitReady(Duration.ofSeconds(90));
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
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

    Path kubeconfig() {
        return dir.resolve("data").resolve("kubeconfig.yaml");
    }

    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    Result kubectl(String... args) throws IOException, InterruptedException {
        return kubectlWithInput(null, args);
    }

    Result kubectlWithInput(String stdin, String... args) throws IOException, InterruptedException {
        return run("/usr/bin/kubectl", stdin, args);
    }

    Result run(String binary, String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("KUBECONFIG", kubeconfig().toString());
        pb.environment().put("HOME", dir.toString());
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Override
    public void close() {
        server.destroy();
        try {
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
