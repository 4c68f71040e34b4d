package dev.konductor.kubelet.prober;

import dev.konductor.kubelet.events.KubeletEvents;
import dev.konductor.kubelet.prober.ProbeType.Outcome;
import dev.konductor.kubelet.runtime.ContainerState;
import dev.konductor.kubelet.runtime.PodAddresses;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One probe of one container, on its own virtual thread: probes every {@code periodSeconds}
 * (the first time at once), follows the container's current instance (a new instance starts
 * over), waits out {@code initialDelaySeconds}, and keeps liveness and readiness quiet until
 * the startup probe has passed. Each failed attempt is an {@code Unhealthy} event, as upstream's.
 */
final class ProbeWorker {

    private static final Logger log = LoggerFactory.getLogger(ProbeWorker.class);

    private final ProbeManager manager;
    private final String podUid;
    private final Container spec;
    private final Probe probe;
    private final ProbeType type;
    private final ProbeSettings settings;
    private final Clock clock;
    private volatile boolean stopped;
    private Thread thread;
    private String containerId;
    private ProbeTracker tracker;

    ProbeWorker(ProbeManager manager, String podUid, Container spec, ProbeType type, ProbeSettings settings, Clock clock) {
        this.manager = manager;
        this.podUid = podUid;
        this.spec = spec;
        this.probe = type.of(spec).orElseThrow();
        this.type = type;
        this.settings = settings;
        this.clock = clock;
        this.tracker = ProbeTracker.start(type, settings);
    }

    void start() {
        thread = Thread.ofVirtual().name("prober-" + type.title().toLowerCase() + "-" + podUid + "-" + spec.getName()).start(this::run);
    }

    void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        while (!stopped) {
            try {
                probeOnce();
            } catch (RuntimeException e) {
                log.warn("probe failed to run pod={} container={} probe={}: {}", podUid, spec.getName(), type, e.toString());
            }
            try {
                Thread.sleep(settings.period());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void probeOnce() {
        Optional<ProbeManager.PodView> view = manager.view(podUid);
        if (view.isEmpty()) {
            return;
        }
        Pod pod = view.get().pod();
        Optional<ContainerState> current = view.get().state().latest(spec.getName());
        if (current.isEmpty()) {
            return;
        }
        ContainerState container = current.get();
        if (!container.id().equals(containerId)) {
            if (containerId != null) {
                manager.forget(containerId);
            }
            containerId = container.id();
            tracker = ProbeTracker.start(type, settings);
            manager.publish(podUid, containerId, type, tracker.published());
        }
        if (tracker.onHold() || !container.running()) {
            return;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null && type != ProbeType.READINESS) {
            return; // a pod shutting down is not restarted for failing its probes
        }
        Duration sinceStart = Duration.between(container.startedAt().orElse(container.createdAt()), clock.instant());
        if (tracker.tooEarly(sinceStart)) {
            return;
        }
        boolean started = manager.started(spec, container);
        if (type == ProbeType.STARTUP ? started : !started) {
            return; // startup probes stop once started; the others wait for it
        }
        String podIp = PodAddresses.first(pod, view.get().state(), manager.nodeIps());
        ProbeResult result = manager.handlers().probe(probe, spec, container.id(), podIp, settings.timeout());
        report(pod, result);
        Outcome before = tracker.published();
        tracker = tracker.observe(result.outcome());
        if (tracker.published() != before) {
            manager.publish(podUid, containerId, type, tracker.published());
        }
    }

    private void report(Pod pod, ProbeResult result) {
        String title = type.title();
        switch (result.kind()) {
            case FAILURE -> manager.events().record(pod, spec.getName(), KubeletEvents.WARNING, "Unhealthy",
                    title + " probe failed: " + result.output());
            case ERROR -> manager.events().record(pod, spec.getName(), KubeletEvents.WARNING, "Unhealthy",
                    title + " probe errored: " + result.output());
            case WARNING -> manager.events().record(pod, spec.getName(), KubeletEvents.WARNING, "ProbeWarning",
                    title + " probe warning: " + result.output());
            case SUCCESS -> {
            }
        }
    }
}
