package dev.konductor.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces standing in for machines: each host {@code ka-nX} gets a veth whose other end
 * is on a bridge {@code ka-br0} in the root namespace, all in one subnet (the root namespace holds
 * {@code .1}). {@link #close()} deletes the namespaces (and so the veths) and the bridge, also
 * what a failed earlier run left.
 */
final class NetnsHosts implements AutoCloseable {

    static final String BRIDGE = "ka-br0";
    private final String subnetPrefix;
    private final List<String> hosts = new ArrayList<>();

    /** @param subnetPrefix the first three octets, e.g. {@code 10.247.250} */
    NetnsHosts(String subnetPrefix) throws IOException, InterruptedException {
        this.subnetPrefix = subnetPrefix;
        removeQuietly("ka-n1", "ka-n2");
        run(List.of("ip", "link", "del", BRIDGE), true);
        ip("link", "add", BRIDGE, "type", "bridge");
        ip("addr", "add", gatewayAddress() + "/24", "dev", BRIDGE);
        ip("link", "set", BRIDGE, "up");
    }

    String gatewayAddress() {
        return subnetPrefix + ".1";
    }

    /** Adds host {@code name} at {@code .octet}; returns its address. */
    String add(String name, int octet) throws IOException, InterruptedException {
        hosts.add(name);
        String address = subnetPrefix + "." + octet;
        ip("netns", "add", name);
        ip("link", "add", name + "h", "type", "veth", "peer", "name", name + "e", "netns", name);
        ip("link", "set", name + "h", "master", BRIDGE, "up");
        ip("-n", name, "addr", "add", address + "/24", "dev", name + "e");
        ip("-n", name, "link", "set", name + "e", "up");
        ip("-n", name, "link", "set", "lo", "up");
        return address;
    }

    /** Runs {@code command} inside host {@code name}'s namespace and returns what it printed. */
    String exec(String name, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full, false);
    }

    @Override
    public void close() {
        removeQuietly(hosts.toArray(String[]::new));
        try {
            run(List.of("ip", "link", "del", BRIDGE), true);
        } catch (IOException | InterruptedException ignored) {
            // nothing left to remove
        }
    }

    private static void removeQuietly(String... names) {
        for (String name : names) {
            try {
                run(List.of("ip", "netns", "del", name), true);
            } catch (IOException | InterruptedException ignored) {
                // not there
            }
        }
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command, false);
    }

    private static String run(List<String> command, boolean mayFail) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        if (process.exitValue() != 0 && !mayFail) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
