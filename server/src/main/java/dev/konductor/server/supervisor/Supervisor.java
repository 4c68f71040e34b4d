package dev.konductor.server.supervisor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a set of {@link Component}s as k3s runs its parts: each starts on its own virtual thread
 * as soon as everything it depends on is ready, so independent components start in parallel;
 * they stop in reverse start order (dependents before their dependencies); and the first
 * component to fail ends the whole run, which the caller turns into a non-zero exit.
 *
 * <p>Use: {@link #start()} (returns when all are ready, throws the first failure), then
 * {@link #awaitTermination()} (returns when a component dies or {@link #stop()} is called), then
 * {@link #stop()}. {@code stop} is safe to call from any thread at any time, e.g. from a
 * shutdown hook while {@code start} is still running, and more than once.
 */
public final class Supervisor {

    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    private static final long MAX_POLL_MILLIS = 50;

    private final List<Component> components;
    private final Duration readyTimeout;
    private final Duration stopTimeout;
    private final Map<String, CompletableFuture<Void>> readiness = new LinkedHashMap<>();
    /** Completed when a component's start call has returned (or thrown): its stop waits for that. */
    private final Map<String, CompletableFuture<Void>> startReturned = new LinkedHashMap<>();
    /** Components whose start was called, most recent first; guarded by {@code this}. */
    private final Deque<Component> started = new ArrayDeque<>();
    private final CompletableFuture<Optional<ComponentFailure>> termination = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private boolean stopping; // guarded by this

    /**
     * @param readyTimeout how long a component may take from being started to being ready
     * @param stopTimeout  how long one component's stop may take before shutdown moves on
     * @throws IllegalArgumentException on duplicate names, unknown dependencies or a cycle
     */
    public Supervisor(List<Component> components, Duration readyTimeout, Duration stopTimeout) {
        this.components = List.copyOf(components);
        this.readyTimeout = readyTimeout;
        this.stopTimeout = stopTimeout;
        for (Component component : this.components) {
            if (readiness.put(component.name(), new CompletableFuture<>()) != null) {
                throw new IllegalArgumentException("two components are named " + component.name());
            }
            startReturned.put(component.name(), new CompletableFuture<>());
        }
        checkDependencies();
    }

    /**
     * Starts every component and returns once all are ready (true), or once {@link #stop()} was
     * called (false).
     *
     * @throws ComponentFailure the first component that failed to start or to become ready; the
     *                          caller should then {@link #stop()} the ones that did start
     */
    public boolean start() throws ComponentFailure, InterruptedException {
        long begin = System.nanoTime();
        for (Component component : components) {
            // Platform threads: a start loads hundreds of classes and service files, and a virtual
            // thread the JVM blocks on a class-loading lock keeps its carrier. Two such starts
            // (two carriers on two cores) waiting for a lock held by a thread that waits for a
            // jar's monitor held by an unmounted virtual thread hung a test JVM for good.
            Thread.ofPlatform().daemon().name("start-" + component.name()).start(() -> launch(component));
        }
        CompletableFuture<Void> allReady = CompletableFuture.allOf(readiness.values().toArray(CompletableFuture[]::new));
        try {
            CompletableFuture.anyOf(allReady, termination).get();
        } catch (ExecutionException | CancellationException e) {
            // A component failed or the run was stopped: termination says which.
        }
        if (termination.isDone()) {
            Optional<ComponentFailure> failure = termination.join();
            if (failure.isPresent()) {
                throw failure.get();
            }
            return false;
        }
        log.info("all components ready count={} elapsedMs={}", components.size(), millisSince(begin));
        return true;
    }

    /** Blocks until a component dies (returned) or {@link #stop()} is called (empty). */
    public Optional<ComponentFailure> awaitTermination() throws InterruptedException {
        try {
            return termination.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("termination is never completed exceptionally", e);
        }
    }

    /**
     * Stops every started component, most recently started first, each given at most the stop
     * timeout. Returns once done; concurrent and later calls wait for the first one to finish.
     */
    public void stop() {
        List<Component> toStop;
        synchronized (this) {
            if (stopping) {
                toStop = null;
            } else {
                stopping = true;
                toStop = List.copyOf(started);
            }
        }
        if (toStop == null) {
            stopped.join();
            return;
        }
        termination.complete(Optional.empty());
        readiness.values().forEach(future -> future.cancel(false));
        for (Component component : toStop) {
            stopOne(component);
        }
        stopped.complete(null);
    }

    private void launch(Component component) {
        try {
            for (String dependency : component.dependsOn()) {
                readiness.get(dependency).join();
            }
        } catch (CompletionException | CancellationException dependencyFailed) {
            // The dependency's own failure is what gets reported; this one simply never starts.
            readiness.get(component.name()).cancel(false);
            return;
        }
        synchronized (this) {
            if (stopping) {
                return;
            }
            started.push(component);
        }
        long begin = System.nanoTime();
        log.info("starting component={}", component.name());
        try {
            component.start(cause -> died(component, cause));
        } catch (Throwable e) {
            fail(component, ComponentFailure.Phase.START, e);
            return;
        } finally {
            startReturned.get(component.name()).complete(null);
        }
        try {
            if (!awaitReady(component, begin)) {
                return; // stopped while waiting
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Throwable e) {
            fail(component, ComponentFailure.Phase.READINESS, e);
            return;
        }
        log.info("component ready component={} elapsedMs={}", component.name(), millisSince(begin));
        readiness.get(component.name()).complete(null);
    }

    /** Polls until the component is ready (true) or the supervisor stops (false). */
    private boolean awaitReady(Component component, long begin) throws InterruptedException, TimeoutException {
        long deadline = begin + readyTimeout.toNanos();
        long pollMillis = 1;
        while (!component.ready()) {
            if (isStopping()) {
                return false;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("not ready after " + readyTimeout.toMillis() + "ms");
            }
            Thread.sleep(pollMillis);
            pollMillis = Math.min(pollMillis * 2, MAX_POLL_MILLIS);
        }
        return true;
    }

    private void fail(Component component, ComponentFailure.Phase phase, Throwable cause) {
        ComponentFailure failure = new ComponentFailure(component.name(), phase, cause);
        // Termination first: start() wakes on either future and must then find the failure.
        if (!isStopping() && termination.complete(Optional.of(failure))) {
            if (failure.isExplained()) {
                log.error("{}", failure.getMessage());
                log.debug("stack trace", cause);
            } else {
                log.error("{}", failure.getMessage(), cause);
            }
        }
        readiness.get(component.name()).completeExceptionally(failure);
    }

    private void died(Component component, Throwable cause) {
        if (isStopping()) {
            log.debug("component reported death while stopping component={}", component.name(), cause);
            return;
        }
        fail(component, ComponentFailure.Phase.RUNNING, cause);
    }

    private void stopOne(Component component) {
        long begin = System.nanoTime();
        CompletableFuture<Void> stopping = new CompletableFuture<>();
        Duration timeout = component.stopTimeout().filter(t -> t.compareTo(stopTimeout) > 0).orElse(stopTimeout);
        Thread.ofVirtual().name("stop-" + component.name()).start(() -> {
            try {
                awaitStartReturned(component, timeout);
                component.stop();
                stopping.complete(null);
            } catch (Throwable e) {
                stopping.completeExceptionally(e);
            }
        });
        try {
            stopping.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("component stopped component={} elapsedMs={}", component.name(), millisSince(begin));
        } catch (TimeoutException e) {
            log.warn("component did not stop in time component={} timeoutMs={}", component.name(), timeout.toMillis());
        } catch (ExecutionException e) {
            log.warn("component failed to stop component={} error=\"{}\"", component.name(), e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted while stopping component={}", component.name());
        }
    }

    /**
     * Lets a start still under way (the run stopped because another component failed, or from a
     * shutdown hook) finish first: stopped halfway, a component would find nothing yet to undo,
     * and its start would then go on to add what no stop removes (an nftables table, a link).
     * A start that does not return within the stop timeout is stopped anyway.
     */
    private void awaitStartReturned(Component component, Duration timeout) throws InterruptedException {
        try {
            startReturned.get(component.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("stopping a component whose start has not returned component={} waitedMs={}", component.name(),
                    timeout.toMillis());
        } catch (ExecutionException e) {
            throw new IllegalStateException("startReturned is never completed exceptionally", e);
        }
    }

    private synchronized boolean isStopping() {
        return stopping;
    }

    private void checkDependencies() {
        Map<String, Component> byName = new LinkedHashMap<>();
        components.forEach(component -> byName.put(component.name(), component));
        for (Component component : components) {
            for (String dependency : component.dependsOn()) {
                if (!byName.containsKey(dependency)) {
                    throw new IllegalArgumentException("component " + component.name()
                            + " depends on unknown component " + dependency);
                }
            }
        }
        Set<String> done = new HashSet<>();
        for (Component component : components) {
            visit(component, byName, new ArrayList<>(), done);
        }
    }

    private static void visit(Component component, Map<String, Component> byName, List<String> path, Set<String> done) {
        if (done.contains(component.name())) {
            return;
        }
        if (path.contains(component.name())) {
            path.add(component.name());
            throw new IllegalArgumentException("components depend on each other in a cycle: " + String.join(" -> ", path));
        }
        path.add(component.name());
        for (String dependency : component.dependsOn()) {
            visit(byName.get(dependency), byName, path, done);
        }
        path.removeLast();
        done.add(component.name());
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
