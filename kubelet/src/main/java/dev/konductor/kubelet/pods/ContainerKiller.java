package dev.konductor.kubelet.pods;

import dev.konductor.kubelet.events.EventRecorder;
import dev.konductor.kubelet.events.KubeletEvents;
import dev.konductor.kubelet.lifecycle.LifecycleHooks;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.kubelet.runtime.ContainerState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops containers as upstream's killContainer: a {@code Killing} event, the preStop hook
 * within the grace period (a failure is a {@code FailedPreStopHook} event, and the stop goes
 * on), then the runtime's stop with what is left of the grace period, never under two seconds
 * once a hook ran: the stop signal, a wait, then SIGKILL.
 */
final class ContainerKiller {

    private static final Logger log = LoggerFactory.getLogger(ContainerKiller.class);
    static final long MINIMUM_GRACE_AFTER_HOOK_SECONDS = 2;

    /** One container to stop: its spec (for the preStop hook), the instance, the event's message, its own grace period if any. */
    record Target(Container spec, ContainerState container, String message, OptionalLong gracePeriodSeconds) {

        Target(Container spec, ContainerState container, String message) {
            this(spec, container, message, OptionalLong.empty());
        }
    }

    private final ContainerRuntime runtime;
    private final LifecycleHooks hooks;
    private final EventRecorder events;
    private final Clock clock;

    ContainerKiller(ContainerRuntime runtime, LifecycleHooks hooks, EventRecorder events, Clock clock) {
        this.runtime = runtime;
        this.hooks = hooks;
        this.events = events;
        this.clock = clock;
    }

    /** Stops every target in parallel, each within {@code gracePeriodSeconds}; returns when all are stopped. */
    void kill(Pod pod, List<Target> targets, long gracePeriodSeconds, String podIp) {
        if (targets.isEmpty()) {
            return;
        }
        try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Target target : targets) {
                parallel.submit(() -> killOne(pod, target, gracePeriodSeconds, podIp));
            }
        }
    }

    private void killOne(Pod pod, Target target, long gracePeriodSeconds, String podIp) {
        ContainerState c = target.container();
        events.record(pod, c.name(), KubeletEvents.NORMAL, "Killing",
                target.message() != null ? target.message() : "Stopping container " + c.name());
        long grace = target.gracePeriodSeconds().orElse(gracePeriodSeconds);
        var preStop = Optional.ofNullable(target.spec().getLifecycle()).map(l -> l.getPreStop());
        if (preStop.isPresent() && grace > 0 && c.running()) {
            Instant started = clock.instant();
            Optional<String> failure = hooks.run(pod, target.spec(), c.id(), podIp, preStop.get(), Duration.ofSeconds(grace));
            failure.ifPresent(message -> events.record(pod, c.name(), KubeletEvents.WARNING, "FailedPreStopHook", message));
            long spent = Duration.between(started, clock.instant()).toSeconds();
            grace = Math.max(MINIMUM_GRACE_AFTER_HOOK_SECONDS, grace - spent);
        }
        try {
            runtime.stopContainer(c.id(), grace);
        } catch (ContainerRuntime.RuntimeException e) {
            if (!e.notFound()) {
                log.warn("cannot stop container id={} name={}: {}", c.id(), c.name(), e.getMessage());
            }
        }
    }
}
