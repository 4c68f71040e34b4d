package dev.konductor.bench;

import dev.konductor.proxy.model.Cidr;
import dev.konductor.proxy.model.Protocol;
import dev.konductor.proxy.model.ProxyEndpoint;
import dev.konductor.proxy.model.ProxyModel;
import dev.konductor.proxy.model.ServicePortName;
import dev.konductor.proxy.model.ServicePortRules;
import dev.konductor.proxy.nftables.NftConfig;
import dev.konductor.proxy.nftables.NftablesProxier;
import dev.konductor.proxy.nftables.ProcessCommandRunner;
import dev.konductor.proxy.userspace.UserspaceProxier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service-proxy benchmark of docs/benchmarks.md: HTTP requests per second and latency with wrk
 * against a server in a network namespace this benchmark makes (a "pod" behind a veth pair),
 * straight to the pod's address, through a ClusterIP in nftables mode, and through a NodePort in
 * userspace mode; each with keep-alive connections and with a new connection per request (which
 * is where DNAT and conntrack work). Rounds alternate the paths so that load from others on the
 * machine falls on all of them alike; the median round is reported. Needs root, nft and wrk;
 * removes everything it made.
 *
 * <pre>bench/proxy [--duration 5] [--rounds 3] [--connections 16] [--threads 1]</pre>
 *
 * <p>The ClusterIP is measured twice: as the proxy runs without a cluster CIDR (the host's own
 * connections keep their address), and with one, when the host, being outside the pod range, is
 * masqueraded, as upstream does.
 */
public final class ProxyBench {

    private static final Pattern REQUESTS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    private final String id = Integer.toHexString(0x1000 + ThreadLocalRandom.current().nextInt(0xefff));
    private final int subnet = 1 + ThreadLocalRandom.current().nextInt(250);
    private final String netns = "kpxb" + id;
    private final String hostLink = "kpxb" + id + "h";
    private final String hostAddress = "10.252." + subnet + ".1";
    private final String podAddress = "10.252." + subnet + ".2";
    private final String clusterIp = "10." + (100 + ThreadLocalRandom.current().nextInt(10)) + "."
            + ThreadLocalRandom.current().nextInt(256) + ".10";
    private final int duration;
    private final int rounds;
    private final int connections;
    private final int threads;

    private ProxyBench(int duration, int rounds, int connections, int threads) {
        this.duration = duration;
        this.rounds = rounds;
        this.connections = connections;
        this.threads = threads;
    }

    /** The ways to the pod that are measured. */
    private enum Path {
        DIRECT("pod IP direct"),
        NFTABLES("ClusterIP, nftables mode"),
        NFTABLES_MASQUERADED("ClusterIP, nftables mode, host traffic masqueraded"),
        USERSPACE("NodePort, userspace mode");

        final String label;

        Path(String label) {
            this.label = label;
        }
    }

    /** Sets the path up, runs wrk through it, and takes it down again. */
    private Figures measure(Path path, ProxyModel model, boolean keepAlive) throws Exception {
        switch (path) {
            case DIRECT -> {
                return wrk("http://" + podAddress + ":8080/", keepAlive);
            }
            case NFTABLES, NFTABLES_MASQUERADED -> {
                NftablesProxier nftables = new NftablesProxier(new NftConfig("kpxb_" + id,
                        Cidr.parse(clusterIp.substring(0, clusterIp.lastIndexOf('.')) + ".0/24"),
                        path == Path.NFTABLES_MASQUERADED ? Optional.of(Cidr.parse("10.252." + subnet + ".0/24"))
                                : Optional.empty(), List.of()),
                        "kpxb" + id + "svc", new ProcessCommandRunner(Duration.ofSeconds(30)));
                try {
                    nftables.start();
                    nftables.sync(model);
                    return wrk("http://" + clusterIp + ":80/", keepAlive);
                } finally {
                    nftables.close();
                }
            }
            case USERSPACE -> {
                UserspaceProxier userspace = new UserspaceProxier(List.of(InetAddress.ofLiteral(hostAddress)),
                        Duration.ofSeconds(2));
                try {
                    userspace.sync(model);
                    return wrk("http://" + hostAddress + ":30999/", keepAlive);
                } finally {
                    userspace.close();
                }
            }
            default -> throw new IllegalArgumentException(path.name());
        }
    }

    /** One wrk run's figures. */
    record Figures(double requestsPerSecond, String p50, String p99, String errors) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("duration", "5", "rounds", "3", "connections", "16",
                "threads", "1"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new ProxyBench(Integer.parseInt(options.get("duration")), Integer.parseInt(options.get("rounds")),
                Integer.parseInt(options.get("connections")), Integer.parseInt(options.get("threads"))).run();
    }

    private void run() throws Exception {
        Process server = null;
        try {
            server = makePod();
            ServicePortRules web = new ServicePortRules(new ServicePortName("bench", "web", "http", Protocol.TCP),
                    InetAddress.ofLiteral(clusterIp), 80, 30999, List.of(), Optional.empty(), false,
                    List.of(new ProxyEndpoint(InetAddress.ofLiteral(podAddress), 8080, true)),
                    List.of(new ProxyEndpoint(InetAddress.ofLiteral(podAddress), 8080, true)));
            ProxyModel model = new ProxyModel(List.of(web), List.of(InetAddress.ofLiteral(clusterIp)));

            wrk("http://" + podAddress + ":8080/", true); // warms the server up; not counted
            Map<String, List<Figures>> results = new LinkedHashMap<>();
            for (boolean keepAlive : List.of(true, false)) {
                for (Path path : Path.values()) {
                    results.put(path.label + (keepAlive ? " (keep-alive)" : " (new connection per request)"), new ArrayList<>());
                }
            }
            for (int round = 0; round < rounds; round++) {
                for (boolean keepAlive : List.of(true, false)) {
                    List<Path> order = new ArrayList<>(List.of(Path.values()));
                    java.util.Collections.shuffle(order); // drifting load from others falls on every path alike
                    for (Path path : order) {
                        String key = path.label + (keepAlive ? " (keep-alive)" : " (new connection per request)");
                        results.get(key).add(measure(path, model, keepAlive));
                    }
                }
            }
            report(results);
        } finally {
            if (server != null) {
                server.destroy();
                server.waitFor(5, TimeUnit.SECONDS);
            }
            quietly("ip", "netns", "del", netns);
            quietly("ip", "link", "del", hostLink);
        }
    }

    private Process makePod() throws Exception {
        run("ip", "netns", "add", netns);
        run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", "eth0", "netns", netns);
        run("ip", "addr", "add", hostAddress + "/30", "dev", hostLink);
        run("ip", "link", "set", hostLink, "up");
        run("ip", "-n", netns, "addr", "add", podAddress + "/30", "dev", "eth0");
        run("ip", "-n", netns, "link", "set", "eth0", "up");
        run("ip", "-n", netns, "link", "set", "lo", "up");
        run("ip", "-n", netns, "route", "add", "default", "via", hostAddress);
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder("ip", "netns", "exec", netns, javaCommand, "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), TinyHttpServer.class.getName(), "8080")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("listening")) {
            throw new IOException("the pod's server did not start: " + line);
        }
        Thread.ofVirtual().start(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ignored) {
                // server gone
            }
        });
        return server;
    }

    private Figures wrk(String url, boolean keepAlive) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + duration + "s",
                "--latency"));
        if (!keepAlive) {
            command.addAll(List.of("-H", "Connection: close"));
        }
        command.add(url);
        String output = run(command.toArray(String[]::new));
        Matcher rps = REQUESTS.matcher(output);
        if (!rps.find()) {
            throw new IOException("no figures from wrk: " + output);
        }
        Matcher errors = Pattern.compile("Socket errors: (.*)").matcher(output);
        return new Figures(Double.parseDouble(rps.group(1)), percentile(output, "50%"), percentile(output, "99%"),
                errors.find() ? errors.group(1).strip() : "none");
    }

    private static String percentile(String output, String which) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(which) + "\\s+(\\S+)").matcher(output);
        return m.find() ? m.group(1) : "?";
    }

    private void report(Map<String, List<Figures>> results) {
        System.out.printf("wrk -t%d -c%d -d%ds --latency, %d rounds in shuffled order; median of the rounds, and the"
                + " median of each round's ratio to the direct path of the same round:%n%n", threads, connections,
                duration, rounds);
        System.out.println("| path | requests/s | p50 | p99 | vs direct | socket errors |");
        System.out.println("|---|---:|---:|---:|---:|---|");
        for (Map.Entry<String, List<Figures>> entry : results.entrySet()) {
            boolean keepAlive = entry.getKey().contains("keep-alive");
            List<Figures> direct = results.get(Path.DIRECT.label + (keepAlive ? " (keep-alive)" : " (new connection per request)"));
            List<Figures> figures = entry.getValue();
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < figures.size(); i++) {
                ratios.add(figures.get(i).requestsPerSecond() / direct.get(i).requestsPerSecond());
            }
            ratios.sort(null);
            Figures median = figures.stream().sorted(java.util.Comparator.comparingDouble(Figures::requestsPerSecond))
                    .toList().get(figures.size() / 2);
            System.out.printf("| %s | %.0f | %s | %s | %.0f%% | %s |%n", entry.getKey(), median.requestsPerSecond(),
                    median.p50(), median.p99(), 100 * ratios.get(ratios.size() / 2), median.errors());
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }

    private static void quietly(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ignored) {
            // best effort
        }
    }
}
