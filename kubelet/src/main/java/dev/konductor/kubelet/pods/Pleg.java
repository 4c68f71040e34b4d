package dev.konductor.kubelet.pods;

import dev.konductor.kubelet.cri.v1.Container;
import dev.konductor.kubelet.cri.v1.ContainerFilter;
import dev.konductor.kubelet.cri.v1.PodSandbox;
import dev.konductor.kubelet.cri.v1.PodSandboxFilter;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.kubelet.runtime.RuntimeLabels;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod lifecycle event generator, as upstream's generic PLEG: relists every sandbox and
 * container once a {@link #PERIOD} (two CRI calls whatever the number of pods), and tells the
 * pod workers of every pod whose sandboxes or containers changed state, so a container that
 * exits is noticed within a second. {@link #lastRelist()} is what the node's health rests on.
 */
public final class Pleg implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Pleg.class);
    static final Duration PERIOD = Duration.ofSeconds(1);

    private final ContainerRuntime runtime;
    private final Consumer<String> changed;
    private Map<String, Set<String>> previous = Map.of();
    private volatile long lastRelistNanos = System.nanoTime();
    private volatile Set<String> podUids = Set.of();
    private volatile boolean closed;
    private Thread thread;

    public Pleg(ContainerRuntime runtime, Consumer<String> changed) {
        this.runtime = runtime;
        this.changed = changed;
    }

    public void start() {
        thread = Thread.ofVirtual().name("pleg").start(this::run);
    }

    /** How long since the last successful relist. */
    public Duration lastRelist() {
        return Duration.ofNanos(System.nanoTime() - lastRelistNanos);
    }

    /** UIDs of every pod the runtime had something of at the last relist. */
    public Set<String> podUids() {
        return podUids;
    }

    private void run() {
        while (!closed) {
            try {
                relist();
            } catch (RuntimeException e) {
                log.debug("relist failed: {}", e.getMessage());
            }
            try {
                Thread.sleep(PERIOD);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void relist() {
        Map<String, Set<String>> current = new HashMap<>();
        for (PodSandbox sandbox : runtime.listPodSandboxes(PodSandboxFilter.getDefaultInstance())) {
            String uid = sandbox.getLabelsOrDefault(RuntimeLabels.POD_UID, "");
            current.computeIfAbsent(uid, u -> new TreeSet<>()).add("sandbox " + sandbox.getId() + " " + sandbox.getState());
        }
        for (Container container : runtime.listContainers(ContainerFilter.getDefaultInstance())) {
            String uid = container.getLabelsOrDefault(RuntimeLabels.POD_UID, "");
            current.computeIfAbsent(uid, u -> new TreeSet<>()).add("container " + container.getId() + " " + container.getState());
        }
        current.remove("");
        Set<String> uids = new HashSet<>(current.keySet());
        uids.addAll(previous.keySet());
        for (String uid : uids) {
            if (!current.getOrDefault(uid, Set.of()).equals(previous.getOrDefault(uid, Set.of()))) {
                changed.accept(uid);
            }
        }
        previous = current;
        podUids = Set.copyOf(current.keySet());
        lastRelistNanos = System.nanoTime();
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
