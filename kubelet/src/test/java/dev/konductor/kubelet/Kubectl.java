package dev.konductor.kubelet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a real kubectl (the dispatcher or a versioned binary) or another client program against
 * a test node ({@link CriTestNode}, {@link ProcessTestNode}): its kubeconfig, and a HOME of its
 * own so no discovery or /version cache is shared with anything else.
 */
final class Kubectl {

    static final String DISPATCHER = "/usr/bin/kubectl";
    static final Path SDK = Path.of("/usr/lib/google-cloud-sdk/bin");
    private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> (\\d+)");

    record Result(int exitCode, String out, String err) {
    }

    private final Path dir;
    private final Path kubeconfig;

    Kubectl(CriTestNode node) {
        this(node.dir(), node.kubeconfig());
    }

    /** For a node whose files are under {@code dir}, reached with {@code kubeconfig}. */
    Kubectl(Path dir, Path kubeconfig) {
        this.dir = dir;
        this.kubeconfig = kubeconfig;
    }

    /** A versioned kubectl, {@code kubectl.1.28}. */
    static String version(String minor) {
        return SDK.resolve("kubectl." + minor).toString();
    }

    Result run(String... args) throws IOException, InterruptedException {
        return runWith(DISPATCHER, null, args);
    }

    /** Runs {@code program} with {@code stdin} (or none), waiting up to a minute. */
    Result runWith(String program, byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = process(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("timed out: " + command + "\nstdout: " + Files.readString(out)
                    + "\nstderr: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A running {@code port-forward}; closing it stops kubectl (by its PID) and waits for it. */
    final class PortForward implements AutoCloseable {
        private final Process process;
        private final List<Integer> localPorts = new ArrayList<>();

        private PortForward(Process process) {
            this.process = process;
        }

        /** The local port kubectl chose for the {@code i}-th remote port. */
        int localPort(int i) {
            return localPorts.get(i);
        }

        boolean alive() {
            return process.isAlive();
        }

        /** Interrupts kubectl as Ctrl-C would; whether it then exited within 20 s. */
        boolean stop() throws InterruptedException {
            process.destroy();
            return process.waitFor(20, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            if (!stop()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts {@code port-forward TARGET :P1 :P2 ...} and waits until kubectl listens on every port. */
    PortForward portForward(String program, String target, int... remotePorts) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(program, "port-forward", "--address", "127.0.0.1", target));
        for (int port : remotePorts) {
            command.add(":" + port);
        }
        Process process = process(command).redirectErrorStream(true).start();
        PortForward forward = new PortForward(process);
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        try {
            while (forward.localPorts.size() < remotePorts.length) {
                String line = lines.readLine();
                if (line == null) {
                    throw new AssertionError("kubectl port-forward ended: " + seen);
                }
                seen.add(line);
                Matcher m = FORWARDING.matcher(line);
                if (m.find()) {
                    forward.localPorts.add(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException | AssertionError e) {
            forward.close();
            throw e;
        }
        // keep draining ("Handling connection for ...") so kubectl never blocks on a full pipe
        Thread.ofVirtual().start(() -> lines.lines().forEach(line -> { }));
        return forward;
    }

    private ProcessBuilder process(List<String> command) throws IOException {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("HOME", home.toString());
        return pb;
    }
}
