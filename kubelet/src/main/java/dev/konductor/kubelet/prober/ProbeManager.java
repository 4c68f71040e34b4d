package dev.konductor.kubelet.prober;

import dev.konductor.kubelet.prober.ProbeType.Outcome;
import dev.konductor.kubelet.runtime.ContainerState;
import dev.konductor.kubelet.runtime.PodRuntimeState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the probes of the pods on this node, as upstream's prober manager: one
 * {@link ProbeWorker} (a virtual thread) per declared probe of each container, which follows
 * the container's current instance and publishes its verdicts here. The pod workers read them
 * ({@link #health}, {@link #mustRestart}) and are woken as soon as a verdict changes, so a
 * readiness change reaches the pod's status within a second.
 */
public final class ProbeManager implements ProbeVerdicts, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProbeManager.class);

    /** Whether a container has started (startup probe passed) and is ready (readiness probe passed). */
    public record Health(boolean started, boolean ready) {
    }

    /** Where probe events go ({@code KubeletEvents::record}): Unhealthy, ProbeWarning. */
    @FunctionalInterface
    public interface Events {
        void record(Pod pod, String container, String type, String reason, String message);
    }

    /** The latest spec and runtime state of a pod, as the workers probe it. */
    record PodView(Pod pod, PodRuntimeState state) {
    }

    private record WorkerKey(String podUid, String container, ProbeType type) {
    }

    private final Handlers handlers;
    private final Events events;
    private final Consumer<String> onChange;
    private final Clock clock;
    private final List<String> nodeIps;
    private final Map<String, PodView> pods = new ConcurrentHashMap<>();
    private final Map<WorkerKey, ProbeWorker> workers = new ConcurrentHashMap<>();
    private final Map<String, Map<ProbeType, Outcome>> results = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param onChange told the pod UID whenever a published verdict of one of its containers changes
     * @param nodeIps  the node's addresses, which pods on the node's network are probed at
     */
    public ProbeManager(Handlers handlers, Events events, Consumer<String> onChange, Clock clock, List<String> nodeIps) {
        this.handlers = handlers;
        this.events = events;
        this.onChange = onChange;
        this.clock = clock;
        this.nodeIps = List.copyOf(nodeIps);
    }

    List<String> nodeIps() {
        return nodeIps;
    }

    /** The pod's newest spec and runtime state; starts the workers of probes not yet running. */
    public void sync(Pod pod, PodRuntimeState state) {
        if (closed) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        pods.put(uid, new PodView(pod, state));
        for (Container container : probedContainers(pod)) {
            for (ProbeType type : ProbeType.values()) {
                type.of(container).ifPresent(probe -> workers.computeIfAbsent(new WorkerKey(uid, container.getName(), type), key -> {
                    ProbeWorker worker = new ProbeWorker(this, uid, container, type, ProbeSettings.of(type, probe), clock);
                    worker.start();
                    return worker;
                }));
            }
        }
    }

    /**
     * The pod is being stopped: its liveness and startup probes stop (nothing is restarted any
     * more), its readiness probes go on until its containers are gone, as upstream's, so that
     * readiness keeps following the app while it shuts down.
     */
    public void stopLivenessAndStartup(String podUid) {
        workers.entrySet().removeIf(e -> {
            WorkerKey key = e.getKey();
            if (key.podUid().equals(podUid) && key.type() != ProbeType.READINESS) {
                e.getValue().stop();
                return true;
            }
            return false;
        });
    }

    /** The newest runtime state of a pod whose probes run (which instance to probe), without starting any probe. */
    public void updateState(Pod pod, PodRuntimeState state) {
        pods.computeIfPresent(pod.getMetadata().getUid(), (uid, view) -> new PodView(pod, state));
    }

    /** Stops the pod's probes and forgets their verdicts (the pod is terminating or gone). */
    public void removePod(String podUid) {
        PodView view = pods.remove(podUid);
        workers.entrySet().removeIf(e -> {
            if (e.getKey().podUid().equals(podUid)) {
                e.getValue().stop();
                return true;
            }
            return false;
        });
        if (view != null) {
            view.state().containers().forEach(c -> results.remove(c.id()));
        }
    }

    /** Started and ready, as the status reports them, for one container instance. */
    @Override
    public Health health(Container spec, ContainerState container) {
        if (!container.running()) {
            return new Health(false, false);
        }
        Map<ProbeType, Outcome> verdicts = results.getOrDefault(container.id(), Map.of());
        boolean started = spec.getStartupProbe() == null || verdicts.get(ProbeType.STARTUP) == Outcome.SUCCESS;
        boolean ready = started && (spec.getReadinessProbe() == null || verdicts.get(ProbeType.READINESS) == Outcome.SUCCESS);
        return new Health(started, ready);
    }

    @Override
    public Optional<ProbeType> mustRestart(ContainerState container) {
        Map<ProbeType, Outcome> verdicts = results.getOrDefault(container.id(), Map.of());
        if (verdicts.get(ProbeType.LIVENESS) == Outcome.FAILURE) {
            return Optional.of(ProbeType.LIVENESS);
        }
        if (verdicts.get(ProbeType.STARTUP) == Outcome.FAILURE) {
            return Optional.of(ProbeType.STARTUP);
        }
        return Optional.empty();
    }

    Optional<PodView> view(String podUid) {
        return Optional.ofNullable(pods.get(podUid));
    }

    Handlers handlers() {
        return handlers;
    }

    Events events() {
        return events;
    }

    boolean started(Container spec, ContainerState container) {
        return health(spec, container).started();
    }

    void publish(String podUid, String containerId, ProbeType type, Outcome outcome) {
        if (!pods.containsKey(podUid)) {
            return; // removed while this probe ran
        }
        Map<ProbeType, Outcome> verdicts = results.computeIfAbsent(containerId, id -> new ConcurrentHashMap<>(new EnumMap<>(ProbeType.class)));
        Outcome before = verdicts.put(type, outcome);
        if (before != outcome) {
            log.debug("probe verdict pod={} container={} probe={} outcome={}", podUid, containerId, type, outcome);
            onChange.accept(podUid);
        }
    }

    void forget(String containerId) {
        results.remove(containerId);
    }

    /** Regular containers and sidecars (init containers that restart always): the ones that may be probed. */
    static List<Container> probedContainers(Pod pod) {
        List<Container> out = new ArrayList<>();
        if (pod.getSpec().getInitContainers() != null) {
            pod.getSpec().getInitContainers().stream().filter(c -> "Always".equals(c.getRestartPolicy())).forEach(out::add);
        }
        out.addAll(pod.getSpec().getContainers());
        return out;
    }

    @Override
    public void close() {
        closed = true;
        workers.values().forEach(ProbeWorker::stop);
        workers.clear();
    }
}
