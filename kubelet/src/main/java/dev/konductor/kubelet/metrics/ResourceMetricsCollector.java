package dev.konductor.kubelet.metrics;

import dev.konductor.kubelet.host.HostFiles;
import dev.konductor.kubelet.host.MemInfo;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's resource metrics, as metrics-server would gather them from this kubelet: every
 * {@link #INTERVAL} it reads the runtime's container statistics (cgroup CPU counters and working
 * sets, through CRI's ListContainerStats) and the machine's own ({@code /proc/stat},
 * {@code /proc/meminfo}), turns cumulative CPU into rates over the interval, and publishes a
 * PodMetrics for every running pod of the node whose containers all have figures, and the node's
 * NodeMetrics. A pod's metrics go when it stops running here.
 */
public final class ResourceMetricsCollector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResourceMetricsCollector.class);
    /** metrics-server scrapes every 15 s by default, the kubelet's cAdvisor refreshes every 10 s. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);

    private final ContainerRuntime runtime;
    private final HostFiles host;
    private final MetricsPublisher publisher;
    private final Supplier<Node> node;
    private final Supplier<List<Pod>> pods;
    private final Clock clock;
    private final Duration interval;
    private final ContainerRates containers = new ContainerRates();
    /** Pods whose metrics this node published, namespace/name to uid. */
    private final Map<String, String> published = new HashMap<>();
    private CpuSample lastNodeCpu;
    private volatile boolean closed;
    private Thread thread;

    /**
     * @param node the node as registered (its name, uid and labels go on the NodeMetrics)
     * @param pods the pods bound to this node, as the kubelet knows them
     */
    public ResourceMetricsCollector(ContainerRuntime runtime, HostFiles host, MetricsPublisher publisher,
                                    Supplier<Node> node, Supplier<List<Pod>> pods, Clock clock, Duration interval) {
        this.runtime = runtime;
        this.host = host;
        this.publisher = publisher;
        this.node = node;
        this.pods = pods;
        this.clock = clock;
        this.interval = interval;
    }

    public void start() {
        thread = Thread.ofVirtual().name("resource-metrics").start(this::run);
    }

    private void run() {
        while (!closed) {
            try {
                collect();
            } catch (RuntimeException e) {
                log.warn("cannot publish resource metrics: {}", e.getMessage());
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round: sample, then publish what has rates. */
    void collect() {
        Map<String, ContainerRates.PodSample> byUid = Map.of();
        try {
            byUid = containers.next(runtime.listContainerStats());
        } catch (ContainerRuntime.RuntimeException e) {
            log.debug("no container stats this round: {}", e.getMessage());
        }
        Map<String, String> running = new HashMap<>();
        for (Pod pod : pods.get()) {
            if (!isRunning(pod)) {
                continue;
            }
            String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
            running.put(key, pod.getMetadata().getUid());
            ContainerRates.PodSample sample = byUid.get(pod.getMetadata().getUid());
            Optional<Map<String, Usage>> usage = sample == null ? Optional.empty() : inSpecOrder(pod, sample.containers());
            if (usage.isPresent()) {
                publisher.write(MetricsObjects.podMetrics(pod, usage.get(), sample.timestamp(), sample.window()));
                published.put(key, pod.getMetadata().getUid());
            }
        }
        published.entrySet().removeIf(e -> {
            if (e.getValue().equals(running.get(e.getKey()))) {
                return false;
            }
            int slash = e.getKey().indexOf('/');
            publisher.deletePodMetrics(e.getKey().substring(0, slash), e.getKey().substring(slash + 1));
            return true;
        });
        publishNode();
    }

    private void publishNode() {
        Node current = node.get();
        OptionalLong busy = host.cpuBusyNanos();
        Optional<MemInfo> memory = host.memInfo();
        if (current == null || busy.isEmpty() || memory.isEmpty()) {
            return;
        }
        CpuSample sample = new CpuSample(busy.getAsLong(), clock.instant());
        CpuSample earlier = lastNodeCpu;
        lastNodeCpu = sample;
        Optional<BigDecimal> cores = earlier == null ? Optional.empty() : sample.coresSince(earlier);
        if (cores.isPresent()) {
            Usage usage = new Usage(cores.get(), BigDecimal.valueOf(memory.get().workingSetBytes()));
            publisher.write(MetricsObjects.nodeMetrics(current, usage, sample.at(), Duration.between(earlier.at(), sample.at())));
        }
    }

    /** The pod's containers' usage in spec order, if every container has one (metrics-server leaves out partial pods). */
    static Optional<Map<String, Usage>> inSpecOrder(Pod pod, Map<String, Usage> byName) {
        Map<String, Usage> out = new LinkedHashMap<>();
        for (Container c : pod.getSpec().getContainers()) {
            Usage usage = byName.get(c.getName());
            if (usage == null) {
                return Optional.empty();
            }
            out.put(c.getName(), usage);
        }
        return Optional.of(out);
    }

    private static boolean isRunning(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                && pod.getMetadata().getDeletionTimestamp() == null;
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
