package dev.konductor.bench;

import dev.konductor.server.control.LocalClients;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The node agent benchmark of issue 4: a real {@code konductor server --runtime cri} child
 * process (its own containerd), or {@code --runtime process} (pods as host processes), N pods
 * created at once on its node, and
 *
 * <ul>
 *   <li><b>pod startup latency</b>: from the moment each create is sent to the moment a watch
 *       sees the pod Running, p50 and p99 (the image is pulled once beforehand by a warm-up pod,
 *       so pulls are not measured, as upstream's pod startup SLO leaves them out);
 *   <li><b>RSS</b> of the server JVM before the pods and with all N running. The kubelet runs
 *       inside that JVM together with the API server, controllers and scheduler, so the growth
 *       is what matters; containerd and its shims are separate processes, reported apart;
 *   <li><b>CPU</b> used while the pods started, by the server, containerd (with the CNI plugins
 *       it ran), the shims (with runc), this benchmark, and the whole machine ({@link PhaseCpu}).
 * </ul>
 *
 * <p>{@code --rounds N} starts the N pods N times, deleting each round's pods before the next:
 * the first round meets a server whose JIT has compiled little of the node agent's code, later
 * rounds one that has run it before.
 *
 * <pre>bench/node [--runtime cri|process] [--pods 30] [--rounds 1] [--port 0] [--kubelet-port 0] [--cluster-cidr 10.244.0.0/24] [--dir /tmp]
 *            [--profile FILE.jfr]</pre> (the last round recorded with JFR)
 */
public final class NodeBench {

    private static final String NAMESPACE = "default";
    private static final long WAIT_SECONDS = 300;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("pods", "30", "port", "0", "kubelet-port", "0",
                "cluster-cidr", "10.244.0.0/24", "dir", System.getProperty("java.io.tmpdir"), "repo", ".", "runtime", "cri",
                "keep-data", "false", "rounds", "1", "profile", ""));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path repo = Path.of(options.get("repo")).toAbsolutePath().normalize();
        Path dataDir = Files.createTempDirectory(Path.of(options.get("dir")), "kn-bench-node");
        int pods = Integer.parseInt(options.get("pods"));
        int rounds = Integer.parseInt(options.get("rounds"));
        String runtime = options.get("runtime");
        Map<String, String> row = new LinkedHashMap<>();
        row.put("runtime", runtime);
        List<String> serverArgs = List.of("--runtime", runtime, "--kubelet-port", options.get("kubelet-port"),
                "--cluster-cidr", options.get("cluster-cidr"));
        warmUp(repo, Path.of(options.get("dir")), Integer.parseInt(options.get("port")), serverArgs);
        try (ServerUnderTest server = ServerUnderTest.start(repo, dataDir, Integer.parseInt(options.get("port")),
                serverArgs, null);
             KubernetesClient client = LocalClients.fromKubeconfig(server.kubeconfig())) {
            server.keepData(Boolean.parseBoolean(options.get("keep-data")));
            awaitNodeReady(client);
            runAndWait(client, "warm-up"); // pulls busybox once
            client.pods().inNamespace(NAMESPACE).withName("warm-up").withGracePeriod(0).delete();
            Thread.sleep(5000);
            row.put("pods", Integer.toString(pods));
            row.put("server RSS before", mib(server.rssMiB()));
            for (int round = 1; round <= rounds; round++) {
                String prefix = rounds == 1 ? "" : "round " + round + ": ";
                if (round > 1) {
                    deleteAndAwaitGone(client);
                }
                System.err.printf("bench: round %d: starting %d pods%n", round, pods);
                // connections first: the round measures the pods' start, not this JVM's TLS handshakes
                PodCreator creator = new PodCreator(server.url(), server.tls(), pods, 0, NodeBench::podJson).connect();
                PhaseCpu cpu = PhaseCpu.start();
                Startup startup;
                try (FlightRecording recording = options.get("profile").isEmpty() || round < rounds ? null
                        : FlightRecording.start(server.pid(), Path.of(options.get("profile")).toAbsolutePath())) {
                    startup = startAtOnce(server, creator, new PodTimeline("r" + round + "-startup-", pods));
                }
                System.err.printf("bench: round %d: %d pods running%n", round, pods);
                row.put(prefix + "startup p50 / p99", percentiles(startup.running()));
                row.put(prefix + "of which create to bound p50 / p99", percentiles(startup.bound()));
                row.put(prefix + "of which bound to Running p50 / p99", percentiles(startup.boundToRunning()));
                row.put(prefix + "CPU used while the pods started", PhaseCpu.format(cpu.millis(cpuGroups(server, runtime))));
            }
            Thread.sleep(5000);
            row.put("server RSS with " + pods + " pods", mib(server.rssMiB()));
            if (runtime.equals("cri")) {
                row.put("containerd + shims RSS with " + pods + " pods", mib(containerdRssMiB(server.dataDir())));
            }
        }
        System.out.println("| measure | value |\n|---|---|");
        row.forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
    }

    /**
     * One untimed server of the same runtime first, which runs a pod. The launcher keeps an AOT
     * cache per runtime; when this one's does not fit the build, this start is its training run,
     * and the cache then holds a node's start and a pod's too. It also warms this JVM's TLS client.
     */
    private static void warmUp(Path repo, Path dir, int port, List<String> serverArgs) throws Exception {
        System.err.println("bench: warm-up server (trains the launcher's AOT cache for this runtime after a build)");
        Path dataDir = Files.createTempDirectory(dir, "kn-bench-warm-up");
        try (ServerUnderTest server = ServerUnderTest.start(repo, dataDir, port, serverArgs, null);
             KubernetesClient client = LocalClients.fromKubeconfig(server.kubeconfig())) {
            awaitNodeReady(client);
            runAndWait(client, "warm-up");
        }
    }

    private static void awaitNodeReady(KubernetesClient client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            List<Node> nodes = client.nodes().list().getItems();
            if (nodes.stream().anyMatch(NodeBench::ready)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no node Ready within " + WAIT_SECONDS + " s");
    }

    private static boolean ready(Node node) {
        return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
                .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /** Per pod: create sent to Running seen, create sent to bound seen, and bound to Running. */
    private record Startup(Latencies running, Latencies bound, Latencies boundToRunning) {
    }

    private static String percentiles(Latencies latencies) {
        return String.format(Locale.ROOT, "%.0f / %.0f ms", latencies.percentileMillis(50), latencies.percentileMillis(99));
    }

    /**
     * Creates the pods of {@code timeline} at once, each on a connection {@code creator} opened
     * beforehand; returns each one's times from create sent to bound and to Running seen. The
     * creates and the watch go through {@link LeanClient}s, not a Kubernetes client: this JVM
     * shares the two cores with the node, and a cold client decoding every event into model
     * objects cost it 0.6-1.2 s of CPU in a first round.
     */
    private static Startup startAtOnce(ServerUnderTest server, PodCreator creator, PodTimeline timeline) throws Exception {
        int count = timeline.pods();
        try (PodWatch watch = PodWatch.open(server.url(), server.tls(), NAMESPACE, timeline)) {
            PodCreator.Result created = creator.create(NAMESPACE, timeline);
            if (created.failures() > 0) {
                throw new IllegalStateException(created.failures() + " pod creations failed, the first: "
                        + created.firstFailure());
            }
            if (!timeline.awaitAllRunning(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException((count - timeline.runningCount()) + " of " + count
                        + " pods not Running within " + WAIT_SECONDS + " s"
                        + (watch.failure() == null ? "" : " (watch failed: " + watch.failure() + ")"));
            }
        }
        return new Startup(timeline.latencies(PodTimeline.Stage.SENT, PodTimeline.Stage.RUNNING),
                timeline.latencies(PodTimeline.Stage.SENT, PodTimeline.Stage.BOUND),
                timeline.latencies(PodTimeline.Stage.BOUND, PodTimeline.Stage.RUNNING));
    }

    /** Deletes the measured pods of the last round and waits until the API no longer has them. */
    private static void deleteAndAwaitGone(KubernetesClient client) throws InterruptedException {
        client.pods().inNamespace(NAMESPACE).withLabel("bench", "startup").delete();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!client.pods().inNamespace(NAMESPACE).withLabel("bench", "startup").list().getItems().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pods of the previous round not gone within " + WAIT_SECONDS + " s");
            }
            Thread.sleep(200);
        }
        Thread.sleep(5000); // let the node finish tearing the sandboxes down
    }

    private static void runAndWait(KubernetesClient client, String name) {
        client.pods().inNamespace(NAMESPACE).resource(pod(name, false)).create();
        client.pods().inNamespace(NAMESPACE).withName(name).waitUntilCondition(
                p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()),
                WAIT_SECONDS, TimeUnit.SECONDS);
    }

    static Pod pod(String name, boolean measured) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("bench", measured ? "startup" : "warm-up")
                .endMetadata()
                .withNewSpec().withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("c").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sleep", "3600").endContainer().endSpec().build();
    }

    /** {@link #pod} of a measured pod, as the JSON a create sends (no serializer in this JVM). */
    static String podJson(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"bench\":\"startup\"}},\"spec\":{\"terminationGracePeriodSeconds\":0,"
                + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"imagePullPolicy\":\"IfNotPresent\","
                + "\"command\":[\"sleep\",\"3600\"]}]}}";
    }

    /** Who used the CPU while the pods started: the server, containerd and its shims (cri), this benchmark. */
    private static PhaseCpu.Group[] cpuGroups(ServerUnderTest server, String runtime) {
        long self = ProcessHandle.current().pid();
        PhaseCpu.Group serverJvm = new PhaseCpu.Group("server JVM", p -> p.pid() == server.pid());
        PhaseCpu.Group bench = new PhaseCpu.Group("this benchmark's JVM", p -> p.pid() == self);
        if (!runtime.equals("cri")) {
            return new PhaseCpu.Group[] {serverJvm, bench};
        }
        Path containerd = server.dataDir().resolve("containerd");
        String config = containerd.resolve("config.toml").toString();
        String socket = containerd.resolve("containerd.sock").toString();
        return new PhaseCpu.Group[] {serverJvm,
            new PhaseCpu.Group("containerd with the CNI plugins it ran", p -> p.commandLine().contains(config)),
            new PhaseCpu.Group("shims with the runc they ran", p -> p.commandLine().contains(socket)),
            bench};
    }

    /** containerd and the shims serving its socket, summed. */
    private static double containerdRssMiB(Path dataDir) throws IOException {
        Path containerd = dataDir.resolve("containerd");
        String marker = containerd.resolve("containerd.sock").toString();
        String config = containerd.resolve("config.toml").toString();
        double total = 0;
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            for (ProcessHandle p : all.toList()) {
                String cmdline = ProcessCpu.commandLine(p.pid());
                if (cmdline.contains(marker) || cmdline.contains(config)) {
                    try {
                        total += ServerUnderTest.rssMiB(p.pid());
                    } catch (IOException gone) {
                        // exited meanwhile
                    }
                }
            }
        }
        return total;
    }

    private static String mib(double value) {
        return String.format(Locale.ROOT, "%.0f MiB", value);
    }
}
