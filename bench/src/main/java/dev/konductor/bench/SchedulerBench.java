package dev.konductor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code konductor bench scheduler}: a real server (child process, sqlite or etcd), N simulated
 * nodes ({@code konductor sim}, another child process), then P pods created over HTTPS by many
 * concurrent clients while a watch stamps when each is bound and Running. Prints a summary on
 * stderr and one JSON object as the last line of stdout. With {@code --steady-state} it then
 * holds the cluster and measures single-object GET and PUT latency and the server's memory.
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = "Scheduling throughput and pod startup latency on simulated nodes.")
final class SchedulerBench implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAMESPACE = "kb";
    private static final String WARMUP_NAMESPACE = "kb-warmup";

    @Option(names = "--nodes", required = true, paramLabel = "N", description = "Simulated nodes.")
    int nodes;

    @Option(names = "--pods", required = true, paramLabel = "P", description = "Pods to create and schedule.")
    int pods;

    @Option(names = "--datastore", defaultValue = "sqlite", description = "sqlite or etcd (a local etcd child process) (default: ${DEFAULT-VALUE}).")
    String datastore;

    @Option(names = "--scheduler-config", paramLabel = "FILE", description = "A KubeSchedulerConfiguration for the server's scheduler.")
    Path schedulerConfig;

    @Option(names = "--clients", defaultValue = "32", description = "Concurrent creating clients, each with its own connection (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--rate", defaultValue = "0", description = "Pods created per second over all clients; 0: as fast as they go (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--warmup", defaultValue = "1000", description = "Pods created and run before the measured ones, in another namespace (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--port", defaultValue = "23400", description = "API server port; etcd takes the next two (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--sim-concurrency", defaultValue = "128", description = "konductor sim --api-concurrency: requests"
            + " the nodes have in flight together; sim's own default, 16, kept pods Pending for 15-20 s at 30-50"
            + " pods per second, and 64 kept bound pods waiting a second for their status at 450"
            + " (default: ${DEFAULT-VALUE}).")
    int simConcurrency;

    @Option(names = "--steady-state", description = "After the run, hold the cluster and measure single-object GET/PUT latency and server memory.")
    boolean steadyState;

    @Option(names = "--probe-seconds", defaultValue = "30", description = "How long the steady-state probe runs (default: ${DEFAULT-VALUE}).")
    int probeSeconds;

    @Option(names = "--timeout", description = "Seconds to wait for every pod to run before reporting what did (default: 300 + pods / 10).")
    Integer timeoutOption;

    @Option(names = "--profile", paramLabel = "DIR", description = "Record the server and the nodes with JFR over the measured run, into DIR/server.jfr and DIR/sim.jfr.")
    Path profileDir;

    @Option(names = "--keep-data", description = "Keep the data directory (logs) instead of deleting it.")
    boolean keepData;

    @Override
    public Integer call() throws Exception {
        if (!datastore.equals("sqlite") && !datastore.equals("etcd")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--datastore must be sqlite or etcd, not " + datastore);
        }
        Path repo = Path.of(System.getProperty("konductor.home", ".")).toAbsolutePath().normalize();
        List<String> serverArgs = new ArrayList<>();
        if (schedulerConfig != null) {
            serverArgs.addAll(List.of("--scheduler-config", schedulerConfig.toAbsolutePath().toString()));
        }
        ObjectNode result = JSON.createObjectNode();
        result.put("nodes", nodes).put("pods", pods).put("datastore", datastore).put("clients", clients).put("rate", rate);
        ServerUnderTest.warmUp(repo);
        progress("starting server on port %d (%s)", port, datastore);
        try (ServerUnderTest server = ServerUnderTest.start(repo, datastore, port, port + 1, serverArgs)) {
            server.keepData(keepData);
            progress("server ready in %d ms, data in %s", server.readyMillis(), server.dataDir());
            Cluster cluster = new Cluster(server);
            cluster.createNamespace(NAMESPACE);
            cluster.createNamespace(WARMUP_NAMESPACE);
            long simStart = System.nanoTime();
            try (SimUnderTest sim = SimUnderTest.start(repo, server.kubeconfig(), server.dataDir(), nodes,
                    List.of("--name-prefix", "kb", "--pod-start-delay", "0s", "--metrics-interval", "0s",
                            "--api-concurrency", Integer.toString(simConcurrency)),
                    Duration.ofSeconds(120 + nodes / 10))) {
                cluster.awaitReadyNodes("kb-", nodes, Duration.ofSeconds(120 + nodes / 20));
                progress("%d nodes ready in %.1f s", nodes, (System.nanoTime() - simStart) / 1e9);
                measureIdle(server.pid(), sim.pid(), result);
                if (warmup > 0) {
                    PodTimeline warm = run(server, WARMUP_NAMESPACE, warmup, 0);
                    progress("warm-up: %d pods running, %.0f pods/s", warm.runningCount(), warm.summary().podsPerSecond());
                }
                long[] pids = {server.pid(), sim.pid(), ProcessHandle.current().pid()};
                double[] cpuBefore = cpuMillis(pids);
                PodTimeline timeline;
                try (Profile profile = Profile.start(profileDir, server.pid(), sim.pid())) {
                    timeline = run(server, NAMESPACE, pods, rate, result);
                }
                double[] cpu = cpuMillis(pids);
                report(timeline.summary(), result);
                String[] names = {"server", "sim", "bench"};
                for (int i = 0; i < pids.length; i++) {
                    result.put(names[i] + "_cpu_ms_per_pod", round1((cpu[i] - cpuBefore[i]) / pods));
                }
                progress("CPU per pod (JIT compilation left out): server %.2f ms, sim %.2f ms, bench %.2f ms",
                        (cpu[0] - cpuBefore[0]) / pods, (cpu[1] - cpuBefore[1]) / pods, (cpu[2] - cpuBefore[2]) / pods);
                result.put("server_rss_mib", Math.round(server.rssMiB()));
                result.put("sim_rss_mib", Math.round(sim.rssMiB()));
                if (steadyState) {
                    holdSteadyState(server, timeline, result);
                }
            }
        }
        result.put("load_average", loadAverage());
        System.out.println(JSON.writeValueAsString(result));
        return 0;
    }

    private PodTimeline run(ServerUnderTest server, String namespace, int count, double podRate) throws Exception {
        return run(server, namespace, count, podRate, JSON.createObjectNode());
    }

    /** Creates {@code count} pods in {@code namespace} and waits until all run (or the timeout). */
    private PodTimeline run(ServerUnderTest server, String namespace, int count, double podRate, ObjectNode result)
            throws Exception {
        PodTimeline timeline = new PodTimeline("p-", count);
        try (PodWatch watch = PodWatch.open(server.url(), server.tls(), namespace, timeline)) {
            Thread progress = Thread.ofVirtual().start(() -> reportProgress(namespace, timeline));
            PodCreator.Result created = new PodCreator(server.url(), server.tls(), clients, podRate)
                    .create(namespace, timeline);
            if (created.failures() > 0) {
                progress.interrupt();
                throw new IllegalStateException(created.failures() + " pod creations failed, the first: "
                        + created.firstFailure());
            }
            result.put("creates_per_second", Math.round(created.createsPerSecond(count)));
            int timeoutSeconds = timeoutOption != null ? timeoutOption : 300 + count / 10;
            boolean all = timeline.awaitAllRunning(timeoutSeconds, TimeUnit.SECONDS);
            progress.interrupt();
            if (!all) {
                progress("%s: only %d of %d pods running after %d s%s", namespace, timeline.runningCount(), count,
                        timeoutSeconds, watch.failure() == null ? "" : " (watch failed: " + watch.failure() + ")");
            }
        }
        return timeline;
    }

    private static void reportProgress(String namespace, PodTimeline timeline) {
        try {
            while (true) {
                Thread.sleep(5000);
                progress("%s: %d of %d pods running, load %s", namespace, timeline.runningCount(), timeline.pods(),
                        loadAverage());
            }
        } catch (InterruptedException done) {
            // the run is over
        }
    }

    private static void report(PodTimeline.Summary s, ObjectNode result) {
        result.put("bound", s.bound()).put("running", s.running());
        result.put("pods_per_second", round1(s.podsPerSecond()));
        result.put("first_create_to_last_bound_s", round1(s.firstToLastBoundSeconds()));
        result.put("bind_p50_ms", round1(s.bindP50Millis())).put("bind_p99_ms", round1(s.bindP99Millis()));
        result.put("startup_p50_ms", round1(s.startupP50Millis())).put("startup_p99_ms", round1(s.startupP99Millis()));
        progress("%d pods: %.0f pods/s (first create to last bound %.1f s), bound p50 %.0f ms p99 %.0f ms,"
                        + " running p50 %.0f ms p99 %.0f ms", s.pods(), s.podsPerSecond(), s.firstToLastBoundSeconds(),
                s.bindP50Millis(), s.bindP99Millis(), s.startupP50Millis(), s.startupP99Millis());
    }

    private void holdSteadyState(ServerUnderTest server, PodTimeline timeline, ObjectNode result) throws Exception {
        progress("steady state: %d nodes, %d pods; probing single-object GET/PUT for %d s", nodes, pods, probeSeconds);
        SingleObjectProbe.Result probe = new SingleObjectProbe(server.url(), server.tls(), 4, Duration.ofMillis(50))
                .run(NAMESPACE, timeline, Duration.ofSeconds(probeSeconds));
        result.put("steady_server_rss_mib", Math.round(server.rssMiB()));
        double liveHeap = Jcmd.liveHeapMiB(server.pid());
        result.put("steady_server_live_heap_mib", Math.round(liveHeap));
        result.put("steady_server_rss_after_gc_mib", Math.round(server.rssMiB()));
        result.put("get_p50_ms", round1(probe.gets().percentileMillis(50)))
                .put("get_p99_ms", round1(probe.gets().percentileMillis(99)))
                .put("put_p50_ms", round1(probe.puts().percentileMillis(50)))
                .put("put_p99_ms", round1(probe.puts().percentileMillis(99)))
                .put("probe_calls", probe.gets().count() + probe.puts().count())
                .put("probe_failures", probe.failures());
        progress("steady state: server RSS %d MiB (%.0f MiB after a full GC), live heap %.0f MiB; GET p50 %.1f ms"
                        + " p99 %.1f ms; PUT p50 %.1f ms p99 %.1f ms; %d failures",
                result.get("steady_server_rss_mib").asLong(), server.rssMiB(), liveHeap,
                probe.gets().percentileMillis(50),
                probe.gets().percentileMillis(99), probe.puts().percentileMillis(50), probe.puts().percentileMillis(99),
                probe.failures());
    }

    /** What the nodes alone cost (lease renewals, their fan-out): CPU of server and sim over 10 idle seconds. */
    private static void measureIdle(long serverPid, long simPid, ObjectNode result) throws Exception {
        long[] pids = {serverPid, simPid};
        double[] before = cpuMillis(pids);
        long start = System.nanoTime();
        Thread.sleep(10_000);
        double[] after = cpuMillis(pids);
        double seconds = (System.nanoTime() - start) / 1e9;
        double server = (after[0] - before[0]) / 10 / seconds;
        double sim = (after[1] - before[1]) / 10 / seconds;
        double liveHeap = Jcmd.liveHeapMiB(serverPid);
        result.put("idle_server_cpu_percent", Math.round(server)).put("idle_sim_cpu_percent", Math.round(sim))
                .put("idle_server_live_heap_mib", Math.round(liveHeap));
        progress("idle cluster: server %.0f %%, sim %.0f %% of a core, server live heap %.0f MiB (load %s)", server, sim,
                liveHeap, loadAverage());
    }

    private static double[] cpuMillis(long[] pids) throws java.io.IOException {
        double[] millis = new double[pids.length];
        for (int i = 0; i < pids.length; i++) {
            millis[i] = ProcessCpu.millis(pids[i]);
        }
        return millis;
    }

    /** Flight recordings of the server and the nodes over the measured run, when asked for. */
    private record Profile(List<FlightRecording> recordings) implements AutoCloseable {

        static Profile start(Path dir, long serverPid, long simPid) throws Exception {
            if (dir == null) {
                return new Profile(List.of());
            }
            Files.createDirectories(dir);
            return new Profile(List.of(FlightRecording.start(serverPid, dir.resolve("server.jfr")),
                    FlightRecording.start(simPid, dir.resolve("sim.jfr"))));
        }

        @Override
        public void close() throws Exception {
            for (FlightRecording recording : recordings) {
                recording.close();
                progress("flight recording: %s", recording.file());
            }
        }
    }

    private static double round1(double value) {
        return Double.isFinite(value) ? Math.round(value * 10) / 10.0 : -1;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void progress(String format, Object... args) {
        System.err.println("bench: " + String.format(Locale.ROOT, format, args));
    }

    /** The few cluster-level calls the benchmark makes outside the measured phases. */
    private record Cluster(ServerUnderTest server) {

        void createNamespace(String name) throws Exception {
            try (LeanClient client = new LeanClient(server.url(), server.tls())) {
                LeanClient.Response response = client.send("POST", "/api/v1/namespaces", "application/json",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}");
                if (response.status() != 201) {
                    throw new IllegalStateException("cannot create namespace " + name + ": "
                            + new String(response.body(), StandardCharsets.UTF_8));
                }
            }
        }

        /** Waits until {@code count} nodes named {@code prefix*} report Ready=True. */
        void awaitReadyNodes(String prefix, int count, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            int ready = 0;
            try (LeanClient client = new LeanClient(server.url(), server.tls())) {
                while (System.nanoTime() < deadline) {
                    LeanClient.Response response = client.send("GET", "/api/v1/nodes", null, null);
                    ready = 0;
                    for (JsonNode node : JSON.readTree(response.body()).path("items")) {
                        if (node.path("metadata").path("name").asText().startsWith(prefix) && isReady(node)) {
                            ready++;
                        }
                    }
                    if (ready >= count) {
                        return;
                    }
                    progress("%d of %d nodes ready, load %s", ready, count, loadAverage());
                    Thread.sleep(5000);
                }
            }
            throw new IllegalStateException("only " + ready + " of " + count + " nodes ready after " + timeout);
        }

        private static boolean isReady(JsonNode node) {
            for (JsonNode condition : node.path("status").path("conditions")) {
                if (condition.path("type").asText().equals("Ready")) {
                    return condition.path("status").asText().equals("True");
                }
            }
            return false;
        }
    }
}
