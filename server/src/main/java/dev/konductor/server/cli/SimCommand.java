package dev.konductor.server.cli;

import dev.konductor.kubelet.sim.SimNodes;
import dev.konductor.kubelet.sim.SimSettings;
import dev.konductor.server.control.LocalClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code konductor sim}: N simulated nodes (like KWOK) joined to any API server, in the
 * foreground until SIGTERM or SIGINT. The nodes stay registered after it stops; their leases
 * expire and the node lifecycle controller marks them NotReady, as for machines switched off.
 */
@Command(name = "sim", description = "Run simulated nodes that heartbeat and 'run' pods without containers.",
        mixinStandardHelpOptions = true)
public final class SimCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(SimCommand.class);

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1",
            description = "How many nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--kubeconfig", paramLabel = "FILE", required = true,
            description = "Kubeconfig of the cluster to join, e.g. DIR/kubeconfig.yaml of 'konductor up'.")
    Path kubeconfig;

    @Option(names = "--name-prefix", paramLabel = "PREFIX", defaultValue = "sim",
            description = "Nodes are called PREFIX-0 ... PREFIX-(N-1), or PREFIX alone when N is 1 (default: ${DEFAULT-VALUE}).")
    String namePrefix;

    @Option(names = "--cpu", paramLabel = "QUANTITY", defaultValue = "32",
            description = "CPU capacity of each node (default: ${DEFAULT-VALUE}).")
    String cpu;

    @Option(names = "--memory", paramLabel = "QUANTITY", defaultValue = "256Gi",
            description = "Memory capacity of each node (default: ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--pods", paramLabel = "N", defaultValue = "110",
            description = "Pod capacity of each node (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--ephemeral-storage", paramLabel = "QUANTITY", defaultValue = SimSettings.DEFAULT_EPHEMERAL_STORAGE,
            description = "Ephemeral storage capacity of each node (default: ${DEFAULT-VALUE}).")
    String ephemeralStorage;

    @Option(names = "--pod-start-delay", paramLabel = "DURATION", defaultValue = "1s",
            converter = OptionConverters.GoDuration.class,
            description = "How long a bound pod stays Pending before it runs (default: ${DEFAULT-VALUE}).")
    Duration podStartDelay;

    @Option(names = "--job-pod-duration", paramLabel = "DURATION", defaultValue = "5s",
            converter = OptionConverters.GoDuration.class,
            description = "How long a Job's pod runs before it succeeds (default: ${DEFAULT-VALUE}).")
    Duration jobPodDuration;

    @Option(names = "--max-grace-period", paramLabel = "DURATION", defaultValue = "2s",
            converter = OptionConverters.GoDuration.class,
            description = "Longest a terminating pod is kept, whatever its grace period (default: ${DEFAULT-VALUE}).")
    Duration maxGracePeriod;

    @Option(names = "--metrics-interval", paramLabel = "DURATION", defaultValue = "15s",
            converter = OptionConverters.GoDuration.class,
            description = "How often PodMetrics and NodeMetrics are written; 0 turns them off (default: ${DEFAULT-VALUE}).")
    Duration metricsInterval;

    @Option(names = "--api-concurrency", paramLabel = "N", defaultValue = "64",
            description = "Requests to the API server in flight at once, for all nodes (default: ${DEFAULT-VALUE}).")
    int apiConcurrency;

    /** The validated settings; also what tests check the parsing against. */
    SimSettings settings() {
        return new SimSettings(namePrefix, nodes, cpu, memory, pods, ephemeralStorage, podStartDelay, jobPodDuration,
                maxGracePeriod, SimSettings.DEFAULT_LEASE_RENEW_INTERVAL, SimSettings.DEFAULT_STATUS_REPORT_INTERVAL,
                metricsInterval, apiConcurrency);
    }

    @Override
    public Integer call() throws InterruptedException {
        SimSettings settings = settings();
        if (!Files.isReadable(kubeconfig)) {
            throw new IllegalArgumentException("cannot read kubeconfig " + kubeconfig);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (KubernetesClient client = LocalClients.fromKubeconfig(kubeconfig, "kubelet");
             SimNodes sim = new SimNodes(client, settings)) {
            Thread shutdown = Thread.ofPlatform().name("shutdown").unstarted(() -> {
                log.info("stopping simulated nodes");
                sim.close();
                stopped.countDown();
            });
            Runtime.getRuntime().addShutdownHook(shutdown);
            sim.start();
            log.info("simulated nodes ready nodes={} prefix={} server={}", settings.nodes(), settings.namePrefix(),
                    client.getMasterUrl());
            stopped.await();
        }
        return 0;
    }
}
