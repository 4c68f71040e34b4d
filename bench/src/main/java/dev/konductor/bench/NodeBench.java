package dev.konductor.bench;

import dev.konductor.server.control.LocalClients;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
 * <pre>bench/node [--runtime cri|process] [--pods 30] [--rounds 1] [--port 0] [--kubelet-port 0] [--cluster-cidr 10.244.0.0/24] [--dir /tmp]</pre>
 */
public final class NodeBench {

    private static final String NAMESPACE = "default";
    private static final long WAIT_SECONDS = 300;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("pods", "30", "port", "0", "kubelet-port", "0",
                "cluster-cidr", "10.244.0.0/24", "dir", System.getProperty("java.io.tmpdir"), "repo", ".", "runtime", "cri",
                "keep-data", "false", "rounds", "1"));
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
        ServerUnderTest.warmUp(repo);
        try (ServerUnderTest server = ServerUnderTest.start(repo, dataDir, Integer.parseInt(options.get("port")),
                List.of("--runtime", runtime, "--kubelet-port", options.get("kubelet-port"),
                        "--cluster-cidr", options.get("cluster-cidr")), null);
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
                PhaseCpu cpu = PhaseCpu.start();
                Startup startup = startAtOnce(client, pods, "r" + round + "-");
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

    /** Creates {@code count} pods at once; returns each one's times from create sent to bound and to Running seen. */
    private static Startup startAtOnce(KubernetesClient client, int count, String namePrefix) throws Exception {
        Map<String, Long> sent = new ConcurrentHashMap<>();
        Map<String, Long> bound = new ConcurrentHashMap<>();
        Startup startup = new Startup(new Latencies(), new Latencies(), new Latencies());
        CountDownLatch running = new CountDownLatch(count);
        Map<String, Boolean> done = new ConcurrentHashMap<>();
        try (Watch ignored = client.pods().inNamespace(NAMESPACE).withLabel("bench", "startup").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                long now = System.nanoTime();
                String name = pod.getMetadata().getName();
                long start = sent.getOrDefault(name, now);
                if (pod.getSpec().getNodeName() != null && bound.putIfAbsent(name, now) == null) {
                    startup.bound().add(now - start);
                }
                if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                        && done.putIfAbsent(name, true) == null) {
                    startup.running().add(now - start);
                    startup.boundToRunning().add(now - bound.getOrDefault(name, now));
                    running.countDown();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            List<Thread> creators = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = namePrefix + "startup-" + i;
                creators.add(Thread.ofVirtual().start(() -> {
                    sent.put(name, System.nanoTime());
                    client.pods().inNamespace(NAMESPACE).resource(pod(name, true)).create();
                }));
            }
            for (Thread t : creators) {
                t.join();
            }
            if (!running.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException((count - done.size()) + " of " + count + " pods not Running within "
                        + WAIT_SECONDS + " s");
            }
        }
        return startup;
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

    private static Pod pod(String name, boolean measured) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("bench", measured ? "startup" : "warm-up")
                .endMetadata()
                .withNewSpec().withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("c").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sleep", "3600").endContainer().endSpec().build();
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
