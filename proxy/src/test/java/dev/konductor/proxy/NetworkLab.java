package dev.konductor.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test "pods" on this host: each a network namespace joined to the host by a veth pair (a /30 of
 * its own, default route via the host side, as a point-to-point CNI would do) running busybox's
 * httpd on port 8080, which answers {@code GET /} with the pod's name. Names carry a random id so
 * that concurrent runs never meet; {@link #close()} removes every namespace, link, process and
 * directory made, whatever happened before.
 */
final class NetworkLab implements AutoCloseable {

    /** One pod: its namespace, the host side of its veth, and both addresses. */
    record Pod(String name, String netns, String hostLink, String hostAddress, String address) {
    }

    final String id = Integer.toHexString(0x1000 + ThreadLocalRandom.current().nextInt(0xefff));
    /** The third octet of 10.251.X.0/24, the addresses of this lab's pods. */
    final int subnet = 1 + ThreadLocalRandom.current().nextInt(250);
    private final List<Pod> pods = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::close);

    NetworkLab() {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Whether this process may build a lab: root, with the ip, nft and busybox commands. */
    static String missing() {
        if (!ProxyMode.isRoot()) {
            return "not root";
        }
        if (ProxyMode.nftBinary() == null) {
            return "nft is not installed (Debian package nftables)";
        }
        for (String command : List.of("/usr/sbin/ip", "/usr/bin/busybox", "/usr/bin/curl")) {
            if (!Files.isExecutable(Path.of(command))) {
                return command + " is not installed";
            }
        }
        return null;
    }

    String cidr() {
        return "10.251." + subnet + ".0/24";
    }

    /** A new pod serving its name over HTTP on port 8080. */
    synchronized Pod addPod(String name) throws IOException, InterruptedException {
        int index = pods.size();
        if (index >= 60) {
            throw new IllegalStateException("a lab holds at most 60 pods");
        }
        String netns = "kpx" + id + "-" + name;
        String hostLink = "kpx" + id + "h" + index;
        String hostAddress = "10.251." + subnet + "." + (4 * index + 1);
        String address = "10.251." + subnet + "." + (4 * index + 2);
        Pod pod = new Pod(name, netns, hostLink, hostAddress, address);
        pods.add(pod);
        run("ip", "netns", "add", netns);
        run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", "eth0", "netns", netns);
        run("ip", "addr", "add", hostAddress + "/30", "dev", hostLink);
        run("ip", "link", "set", hostLink, "up");
        run("ip", "-n", netns, "addr", "add", address + "/30", "dev", "eth0");
        run("ip", "-n", netns, "link", "set", "eth0", "up");
        run("ip", "-n", netns, "link", "set", "lo", "up");
        run("ip", "-n", netns, "route", "add", "default", "via", hostAddress);
        Path dir = Files.createTempDirectory("kpx-" + name);
        dirs.add(dir);
        Files.writeString(dir.resolve("index.html"), name);
        Process httpd = new ProcessBuilder("ip", "netns", "exec", netns, "busybox", "httpd", "-f", "-p", "8080",
                "-h", dir.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(httpd);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                if (get(address, 8080).equals(name)) {
                    return pod;
                }
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !httpd.isAlive()) {
                    throw new IOException("the httpd of pod " + name + " does not answer", notYet);
                }
            }
            Thread.sleep(20);
        }
    }

    /** {@code GET /} over a new connection from this host; the body. */
    static String get(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.") || body < 0) {
                throw new IOException("not an HTTP response: " + response);
            }
            return response.substring(body + 4).strip();
        }
    }

    /** {@code GET http://host:port/} with curl from inside {@code pod}'s namespace; the body, or the curl error. */
    static String getFrom(Pod pod, String host, int port) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder("ip", "netns", "exec", pod.netns(), "curl", "-sS", "-m", "3",
                "http://" + host + ":" + port + "/").redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        curl.waitFor(10, TimeUnit.SECONDS);
        return output;
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
            quietly("ip", "link", "del", pod.hostLink()); // normally gone with its peer's namespace
        }
        pods.clear();
        for (Path dir : dirs) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
