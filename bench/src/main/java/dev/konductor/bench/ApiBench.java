package dev.konductor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The API server benchmark of docs/benchmarks.md: against a real {@code konductor server} child
 * process on each backend, measures start-to-ready, idle RSS, pod create / get / update throughput
 * and latency with N concurrent clients (each its own HTTP client and connection), the time to list
 * all pods, and the fan-out latency of events to many concurrent watches. The measured creates
 * follow a warm-up of creates in a namespace of their own (reported as the cold figures): the
 * first seconds after a start measure the JIT compiling the request path more than the server.
 *
 * <pre>bench/run [--backends sqlite,etcd] [--clients 50] [--pods 10000] [--warmup 5000] [--watchers 1000] [--events 20]
 *           [--profile FILE.jfr]</pre>
 * With {@code --profile} the server is recorded with JFR over the measured creates (one backend).
 */
public final class ApiBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAMESPACE = "bench";
    private static final String WATCH_NAMESPACE = "bench-watch";
    private static final String WARMUP_NAMESPACE = "bench-warmup";
    /** HTTP clients the watches share (each client has a selector thread). */
    static final int WATCH_CLIENTS = 8;

    private final int clients;
    private final int pods;
    private final int warmup;
    private final int watchers;
    private final int events;
    /** Where to write a JFR recording of the server over the measured creates; null for none. */
    private final Path profile;

    private ApiBench(int clients, int pods, int warmup, int watchers, int events, Path profile) {
        this.clients = clients;
        this.pods = pods;
        this.warmup = warmup;
        this.watchers = watchers;
        this.events = events;
        this.profile = profile;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("backends", "sqlite,etcd", "clients", "50",
                "pods", "10000", "warmup", "5000", "watchers", "1000", "events", "20", "repo", "."));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        ApiBench bench = new ApiBench(Integer.parseInt(options.get("clients")), Integer.parseInt(options.get("pods")),
                Integer.parseInt(options.get("warmup")), Integer.parseInt(options.get("watchers")),
                Integer.parseInt(options.get("events")),
                options.containsKey("profile") ? Path.of(options.get("profile")).toAbsolutePath() : null);
        Path repo = Path.of(options.get("repo")).toAbsolutePath().normalize();
        ServerUnderTest.warmUp(repo);
        List<Map<String, String>> results = new ArrayList<>();
        for (String backend : options.get("backends").split(",")) {
            System.err.println("== " + backend);
            results.add(bench.run(repo, backend));
        }
        System.out.println(table(results));
    }

    private Map<String, String> run(Path repo, String backend) throws Exception {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("backend", backend);
        try (ServerUnderTest server = ServerUnderTest.start(repo, backend)) {
            row.put("start to ready", server.readyMillis() + " ms");
            Thread.sleep(5000);
            row.put("idle RSS", String.format(Locale.ROOT, "%.0f MiB", server.rssMiB()));
            create(server, "/api/v1/namespaces", namespace(NAMESPACE));
            create(server, "/api/v1/namespaces", namespace(WATCH_NAMESPACE));
            if (warmup > 0) {
                create(server, "/api/v1/namespaces", namespace(WARMUP_NAMESPACE));
                String warmupPods = "/api/v1/namespaces/" + WARMUP_NAMESPACE + "/pods";
                Phase cold = phase(server, warmup, (c, i) -> c.send("POST", warmupPods, "application/json", pod(i)));
                row.put("cold creates/s (first " + warmup + ")", cold.rate());
                row.put("cold create p50/p99", cold.percentiles());
            }

            String pods = "/api/v1/namespaces/" + NAMESPACE + "/pods";
            Phase creates;
            try (FlightRecording recording = profile == null ? null : FlightRecording.start(server.pid(), profile)) {
                creates = phase(server, this.pods, (c, i) -> c.send("POST", pods, "application/json", pod(i)));
            }
            row.put("creates/s", creates.rate());
            row.put("create p50/p99", creates.percentiles());
            row.put("server CPU per create", creates.cpuPerRequest());
            Phase gets = phase(server, this.pods, (c, i) -> c.send("GET", pods + "/p-" + i, null, null));
            row.put("gets/s", gets.rate());
            row.put("get p50/p99", gets.percentiles());
            row.put("server CPU per get", gets.cpuPerRequest());
            Phase updates = phase(server, this.pods, (c, i) -> c.send("PATCH", pods + "/p-" + i,
                    "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"updated\":\"yes\"}}}"));
            row.put("updates/s", updates.rate());
            row.put("update p50/p99", updates.percentiles());
            row.put("server CPU per update", updates.cpuPerRequest());
            row.put("list " + this.pods + " pods", listMillis(server, pods));
            row.put("watch fan-out p50/p99", fanOut(server));
            row.put("RSS after load", String.format(Locale.ROOT, "%.0f MiB", server.rssMiB()));
        }
        System.err.println(row);
        return row;
    }

    /**
     * @param serverCpuMillis the CPU time the server process used during the phase (all its
     *                        threads: the requests and what they set off, such as its informers)
     */
    private record Phase(int count, long nanos, Latencies latencies, double serverCpuMillis) {
        /** Independent of how busy the shared machine was, unlike the rate. */
        String cpuPerRequest() {
            return String.format(Locale.ROOT, "%.2f ms", serverCpuMillis / count);
        }

        String rate() {
            return String.format(Locale.ROOT, "%.0f", count / (nanos / 1e9));
        }

        String percentiles() {
            return String.format(Locale.ROOT, "%.1f / %.1f ms", latencies.percentileMillis(50),
                    latencies.percentileMillis(99));
        }
    }

    /** Request {@code i} on a client's connection. */
    private interface Call {
        LeanClient.Response send(LeanClient client, int i) throws Exception;
    }

    /** Sends request {@code i} for every i in [0, count), spread over the clients; every answer must be 2xx. */
    private Phase phase(ServerUnderTest server, int count, Call call) throws Exception {
        Latencies latencies = new Latencies();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        double cpuBefore = server.cpuMillis();
        long begin = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (LeanClient client = new LeanClient(server.url(), server.tls())) {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        long start = System.nanoTime();
                        LeanClient.Response response = call.send(client, i);
                        latencies.add(System.nanoTime() - start);
                        if (response.status() / 100 != 2) {
                            if (failures.incrementAndGet() == 1) {
                                System.err.println("request failed: " + response.status() + " "
                                        + new String(response.body(), StandardCharsets.UTF_8));
                            }
                        }
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    System.err.println("client failed: " + e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long nanos = System.nanoTime() - begin;
        double cpu = server.cpuMillis() - cpuBefore;
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " requests failed");
        }
        return new Phase(count, nanos, latencies, cpu);
    }

    private String listMillis(ServerUnderTest server, String path) throws Exception {
        Latencies latencies = new Latencies();
        try (HttpClient client = client(server.tls())) {
            for (int i = 0; i < 6; i++) {
                long start = System.nanoTime();
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(server.url().resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (i > 0) { // the first one warms up
                    latencies.add(System.nanoTime() - start);
                }
                int items = JSON.readTree(response.body()).path("items").size();
                if (items != pods) {
                    throw new IllegalStateException("listed " + items + " pods, expected " + pods);
                }
            }
        }
        return String.format(Locale.ROOT, "%.0f ms (median of 5)", latencies.percentileMillis(50));
    }

    /**
     * Opens the watches, then creates ConfigMaps stamped with the send time; each watch measures
     * the delay from the create request to the event's arrival.
     */
    private String fanOut(ServerUnderTest server) throws Exception {
        Latencies latencies = new Latencies();
        CountDownLatch started = new CountDownLatch(watchers);
        CountDownLatch received = new CountDownLatch(watchers * events);
        List<HttpClient> watchClients = new ArrayList<>();
        List<InputStream> streams = java.util.Collections.synchronizedList(new ArrayList<>());
        URI watchUrl = server.url().resolve("/api/v1/namespaces/" + WATCH_NAMESPACE + "/configmaps?watch=1");
        // Each watch is a connection of its own, but a client per watch is a selector thread per
        // watch in this process: a thousand threads woken for every event, on the two cores the
        // server uses too. A few clients share them (HTTP/1.1: one connection per open request).
        for (int c = 0; c < Math.min(watchers, WATCH_CLIENTS); c++) {
            watchClients.add(client(server.tls()));
        }
        for (int w = 0; w < watchers; w++) {
            HttpClient client = watchClients.get(w % watchClients.size());
            Thread.ofVirtual().start(() -> {
                try {
                    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(watchUrl).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    streams.add(response.body());
                    started.countDown();
                    BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                            StandardCharsets.UTF_8));
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        long now = System.nanoTime();
                        // a string search, not a JSON parse: a thousand watchers parsing every event
                        // on the same two cores would measure this process more than the server
                        long sent = sentStamp(line);
                        if (sent != 0) {
                            latencies.add(now - sent);
                            received.countDown();
                        }
                    }
                } catch (Exception e) {
                    // closed at the end of the benchmark
                }
            });
        }
        if (!started.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (watchers - started.getCount()) + " watches started");
        }
        Thread.sleep(1000);
        try (HttpClient client = client(server.tls())) {
            for (int e = 0; e < events; e++) {
                String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c-" + e
                        + "\",\"annotations\":{\"sent\":\"" + System.nanoTime() + "\"}}}";
                client.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/namespaces/" + WATCH_NAMESPACE
                                + "/configmaps")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                Thread.sleep(100);
            }
        }
        boolean all = received.await(60, TimeUnit.SECONDS);
        for (InputStream stream : streams) {
            stream.close();
        }
        watchClients.forEach(HttpClient::shutdownNow);
        return String.format(Locale.ROOT, "%.1f / %.1f ms (%d watches x %d events%s)", latencies.percentileMillis(50),
                latencies.percentileMillis(99), watchers, events, all ? "" : ", SOME MISSING: " + latencies.count());
    }

    /** The {@code sent} annotation's nanoTime in a watch event's line; 0 when there is none. */
    static long sentStamp(String line) {
        String marker = "\"sent\":\"";
        int at = line.indexOf(marker);
        if (at < 0) {
            return 0;
        }
        int start = at + marker.length();
        int end = line.indexOf('"', start);
        return end < 0 ? 0 : Long.parseLong(line, start, end, 10);
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static void create(ServerUnderTest server, String path, String body) throws Exception {
        try (HttpClient client = client(server.tls())) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.url().resolve(path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("create " + path + ": " + response.body());
            }
        }
    }

    private static String namespace(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}";
    }

    /** A typical small pod; its scheduler does not exist, so the cluster's scheduler leaves it alone. */
    private static String pod(int i) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p-" + i
                + "\",\"labels\":{\"app\":\"bench\",\"shard\":\"s" + (i % 10) + "\"}},\"spec\":{\"schedulerName\":"
                + "\"bench-unscheduled\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"command\":[\"sleep\","
                + "\"3600\"],\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}";
    }

    private static String table(List<Map<String, String>> rows) {
        StringBuilder out = new StringBuilder("| measure |");
        rows.forEach(r -> out.append(' ').append(r.get("backend")).append(" |"));
        out.append("\n|---|").append("---|".repeat(rows.size())).append('\n');
        for (String key : rows.getFirst().keySet()) {
            if (key.equals("backend")) {
                continue;
            }
            out.append("| ").append(key).append(" |");
            rows.forEach(r -> out.append(' ').append(r.getOrDefault(key, "")).append(" |"));
            out.append('\n');
        }
        return out.toString();
    }
}
