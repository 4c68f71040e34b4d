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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops containers as upstream's killContainer: a {@code Killing} event, the preStop hook
 * within the grace period (a failure is a {@code FailedPreStopHook} event, and the stop goes
 * on), then, when the whole pod goes, a wait for its turn ({@link TerminationOrder}: sidecars
 * after the app containers) within what is left of the grace period, then the runtime's stop
 * with what is left, never under {@value #MINIMUM_GRACE_SECONDS} seconds: the stop signal, a
 * wait, then SIGKILL.
 */
final class ContainerKiller {

    private static final Logger log = LoggerFactory.getLogger(ContainerKiller.class);
    /** Upstream's minimumGracePeriodInSeconds: a container always gets this long to stop before SIGKILL. */
    static final long MINIMUM_GRACE_SECONDS = 2;

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

    /** Stops some containers in parallel, each within {@code gracePeriodSeconds}; returns when all are stopped. */
    void kill(Pod pod, List<Target> targets, long gracePeriodSeconds, String podIp) {
        run(pod, targets, Map.of(), gracePeriodSeconds, podIp);
    }

    /**
     * Stops every running container of the pod, which is going as a whole: all at once, except
     * that a sidecar's stop waits for its turn; returns when all are stopped.
     */
    void killPod(Pod pod, List<ContainerState> running, long gracePeriodSeconds, String podIp) {
        Map<String, List<String>> order = TerminationOrder.prerequisites(pod,
                running.stream().map(ContainerState::name).collect(Collectors.toSet()));
        List<Target> targets = running.stream()
                .map(c -> new Target(PodActionsPlanner.spec(pod, c.name()), c, null)).toList();
        run(pod, targets, order, gracePeriodSeconds, podIp);
    }

    private void run(Pod pod, List<Target> targets, Map<String, List<String>> order, long gracePeriodSeconds, String podIp) {
        if (targets.isEmpty()) {
            return;
        }
        Map<String, CompletableFuture<Void>> exited = new HashMap<>();
        targets.forEach(t -> exited.put(t.container().name(), new CompletableFuture<>()));
        try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Target target : targets) {
                List<CompletableFuture<Void>> before = order.getOrDefault(target.container().name(), List.of()).stream()
                        .map(exited::get).filter(f -> f != null).toList();
                parallel.submit(() -> {
                    try {
                        killOne(pod, target, gracePeriodSeconds, podIp, before);
                    } finally {
                        exited.get(target.container().name()).complete(null);
                    }
                });
            }
        }
    }

    private void killOne(Pod pod, Target target, long gracePeriodSeconds, String podIp, List<CompletableFuture<Void>> before) {
        ContainerState c = target.container();
        events.record(pod, c.name(), KubeletEvents.NORMAL, "Killing",
                target.message() != null ? target.message() : "Stopping container " + c.name());
        Instant started = clock.instant();
        long grace = target.gracePeriodSeconds().orElse(gracePeriodSeconds);
        var preStop = Optional.ofNullable(target.spec().getLifecycle()).map(l -> l.getPreStop());
        if (preStop.isPresent() && grace > 0 && c.running()) {
            Optional<String> failure = hooks.run(pod, target.spec(), c.id(), podIp, preStop.get(), Duration.ofSeconds(grace));
            failure.ifPresent(message -> events.record(pod, c.name(), KubeletEvents.WARNING, "FailedPreStopHook", message));
        }
        long left = grace - Duration.between(started, clock.instant()).toSeconds();
        if (!before.isEmpty() && left > 0) {
            awaitTurn(before, Duration.ofSeconds(left));
            left = grace - Duration.between(started, clock.instant()).toSeconds();
        }
        try {
            runtime.stopContainer(c.id(), Math.max(MINIMUM_GRACE_SECONDS, left));
        } catch (ContainerRuntime.RuntimeException e) {
            if (!e.notFound()) {
                log.warn("cannot stop container id={} name={}: {}", c.id(), c.name(), e.getMessage());
            }
        }
    }

    /** Waits until every container in {@code before} has exited, or {@code limit} has passed. */
    private static void awaitTurn(List<CompletableFuture<Void>> before, Duration limit) {
        try {
            CompletableFuture.allOf(before.toArray(CompletableFuture[]::new)).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the grace period is over: this one stops now, whatever still runs
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
