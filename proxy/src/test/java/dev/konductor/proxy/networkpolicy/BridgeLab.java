package dev.konductor.proxy.networkpolicy;

import dev.konductor.proxy.ProxyMode;
import dev.konductor.proxy.nftables.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A test node with pods on a Linux bridge, as the CNI bridge plugin wires a real node: the node
 * is a network namespace of its own holding the bridge (gateway {@code 10.252.S.1/24}), and each
 * pod is a namespace joined to the bridge by a veth pair, with a default route via the gateway,
 * running busybox httpd on ports 8080 and 8081 that answer {@code GET /} with the pod's name.
 *
 * <p>Because the node is a namespace, everything the code under test does to "the node" (its
 * nftables tables, links, routes and sysctls, through {@link #nodeRunner()}) stays inside it:
 * the host's own networking is never touched. Names carry a random id so concurrent runs never
 * meet; {@link #close()} removes every namespace (and with them the bridge, veths and tables),
 * process and directory made, whatever happened before.
 */
final class BridgeLab implements AutoCloseable {

    /** One pod: its name, namespace and address. */
    record Pod(String name, String netns, String address) {
    }

    static final String BRIDGE = "knpbr0";
    static final List<Integer> PORTS = List.of(8080, 8081);

    final String id = Integer.toHexString(0x1000 + ThreadLocalRandom.current().nextInt(0xefff));
    /** The third octet of 10.252.S.0/24, the addresses of this lab. */
    final int subnet = 1 + ThreadLocalRandom.current().nextInt(250);
    final String node = "knp" + id + "-node";
    private final List<Pod> pods = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::close);
    private boolean nodeCreated;

    BridgeLab() throws IOException, InterruptedException {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            run("ip", "netns", "add", node);
            nodeCreated = true;
            run("ip", "-n", node, "link", "set", "lo", "up");
            run("ip", "-n", node, "link", "add", BRIDGE, "type", "bridge");
            run("ip", "-n", node, "addr", "add", gateway() + "/24", "dev", BRIDGE);
            run("ip", "-n", node, "link", "set", BRIDGE, "up");
            inNode("sysctl", "-w", "net.ipv4.ip_forward=1");
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Whether this process may build a lab: root, with the commands it drives. */
    static String missing() {
        if (!ProxyMode.isRoot()) {
            return "not root";
        }
        if (ProxyMode.nftBinary() == null) {
            return "nft is not installed (Debian package nftables)";
        }
        for (String command : List.of("/usr/sbin/ip", "/usr/sbin/sysctl", "/usr/bin/busybox", "/usr/bin/curl")) {
            if (!Files.isExecutable(Path.of(command))) {
                return command + " is not installed";
            }
        }
        return null;
    }

    String gateway() {
        return "10.252." + subnet + ".1";
    }

    String cidr() {
        return "10.252." + subnet + ".0/24";
    }

    /** Runs commands in the node's namespace, as a node agent runs them on its host. */
    CommandRunner nodeRunner() {
        return new NamespacedRunner(node);
    }

    /** A new pod on the bridge, serving its name on 8080 and 8081. */
    synchronized Pod addPod(String name) throws IOException, InterruptedException {
        int index = pods.size();
        if (index >= 200) {
            throw new IllegalStateException("a lab holds at most 200 pods");
        }
        String netns = "knp" + id + "-" + name;
        String veth = "knp" + id + "v" + index;
        Pod pod = new Pod(name, netns, "10.252." + subnet + "." + (10 + index));
        pods.add(pod);
        run("ip", "netns", "add", netns);
        run("ip", "-n", node, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns);
        run("ip", "-n", node, "link", "set", veth, "master", BRIDGE, "up");
        run("ip", "-n", netns, "addr", "add", pod.address() + "/24", "dev", "eth0");
        run("ip", "-n", netns, "link", "set", "eth0", "up");
        run("ip", "-n", netns, "link", "set", "lo", "up");
        run("ip", "-n", netns, "route", "add", "default", "via", gateway());
        Path dir = Files.createTempDirectory("knp-" + name);
        dirs.add(dir);
        Files.writeString(dir.resolve("index.html"), name);
        for (int port : PORTS) {
            processes.add(new ProcessBuilder("ip", "netns", "exec", netns, "busybox", "httpd", "-f", "-p",
                    Integer.toString(port), "-h", dir.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!PORTS.stream().allMatch(port -> answer(node, pod.address(), port).equals(name))) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the httpd of pod " + name + " does not answer");
            }
            Thread.sleep(20);
        }
        return pod;
    }

    /** {@code GET http://host:port/} from {@code from}; the body, or curl's error. */
    String get(Pod from, String host, int port) {
        return answer(from.netns(), host, port);
    }

    /** {@code GET http://host:port/} from the node itself (its namespace). */
    String getFromNode(String host, int port) {
        return answer(node, host, port);
    }

    private static String answer(String netns, String host, int port) {
        try {
            Process curl = new ProcessBuilder("ip", "netns", "exec", netns, "curl", "-sS", "--connect-timeout", "1",
                    "-m", "3", "http://" + host + ":" + port + "/").redirectErrorStream(true).start();
            String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            curl.waitFor(10, TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            return "cannot run curl: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Runs a command in the node's namespace and returns its output. */
    String inNode(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", node));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }

    private static void quietly(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ignored) {
            // best effort: cleanup goes on
        }
    }

    @Override
    public synchronized void close() {
        for (Process process : processes) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
        processes.clear();
        for (Pod pod : pods) {
            quietly("ip", "netns", "del", pod.netns());
        }
        pods.clear();
        if (nodeCreated) {
            quietly("ip", "netns", "del", node); // takes the bridge, the veths' node ends and its nft tables
            nodeCreated = false;
        }
        for (Path dir : dirs) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind is harmless
            }
        }
        dirs.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // we are the hook
        }
    }
}
