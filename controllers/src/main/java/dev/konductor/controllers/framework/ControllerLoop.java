package dev.konductor.controllers.framework;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Reconciler} over a {@link WorkQueue} with a fixed number of worker threads
 * (virtual). Event handlers only {@link #enqueue}; all the work happens in reconcile.
 */
public final class ControllerLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControllerLoop.class);
    /** After this many failures in a row a key is logged at warn level (and still retried). */
    private static final int LOUD_FAILURES = 5;
    private static final Duration CACHE_SYNC_POLL = Duration.ofMillis(50);

    private final String name;
    private final Reconciler reconciler;
    private final int workers;
    private final WorkQueue queue;
    private final List<Thread> threads = new ArrayList<>();

    public ControllerLoop(String name, Reconciler reconciler, int workers) {
        this.name = name;
        this.reconciler = reconciler;
        this.workers = workers;
        this.queue = new WorkQueue(name);
    }

    public WorkQueue queue() {
        return queue;
    }

    public void enqueue(String key) {
        queue.add(key);
    }

    /**
     * Starts the workers; they take no key until {@code cachesSynced} holds, as upstream's
     * controllers wait for their informers before they run. A reconcile against a cache that has
     * not listed yet sees objects missing and acts on it: after a restart or a failover the
     * ReplicaSet informer may fill before the Pod informer, and the ReplicaSet would then be
     * given a second set of pods. Keys queued meanwhile wait in the queue.
     */
    public synchronized void start(BooleanSupplier cachesSynced) {
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofVirtual().name(name + "-worker-" + i).start(() -> work(cachesSynced)));
        }
    }

    private void work(BooleanSupplier cachesSynced) {
        try {
            while (!cachesSynced.getAsBoolean()) {
                if (queue.isShuttingDown()) {
                    return;
                }
                Thread.sleep(CACHE_SYNC_POLL);
            }
            while (true) {
                Optional<String> next = queue.take();
                if (next.isEmpty()) {
                    return;
                }
                process(next.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void process(String key) {
        try {
            Reconciler.Result result = reconciler.reconcile(key);
            queue.forget(key);
            if (result.requeues()) {
                queue.addAfter(key, result.requeueAfter());
            }
        } catch (Exception | LinkageError e) {
            int failures = queue.failures(key) + 1;
            if (failures >= LOUD_FAILURES) {
                log.warn("{}: reconcile {} failed {} times: {}", name, key, failures, e.toString());
            } else {
                log.debug("{}: reconcile {} failed, retrying: {}", name, key, e.toString());
            }
            queue.addRateLimited(key);
        } finally {
            queue.done(key);
        }
    }

    @Override
    public synchronized void close() {
        queue.shutDown();
        for (Thread thread : threads) {
            thread.interrupt();
        }
        threads.clear();
    }
}
