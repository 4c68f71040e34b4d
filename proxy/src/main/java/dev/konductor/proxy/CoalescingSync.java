package dev.konductor.proxy;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sync action on its own thread whenever {@link #request()} is called, coalescing bursts:
 * requests that arrive while a sync runs, or within {@code minInterval} of the last start, lead
 * to one more sync, never one per request. A request is never lost: after the last request a
 * sync always starts (at most {@code minInterval} later). A failed sync is retried after
 * {@code retryDelay}; with no requests at all the action still runs every {@code resyncInterval}.
 */
public final class CoalescingSync implements AutoCloseable {

    /** The work to run; may throw. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(CoalescingSync.class);

    private final String name;
    private final Duration minInterval;
    private final Duration retryDelay;
    private final Duration resyncInterval;
    private final Action action;
    // waits are Condition.awaitNanos, in real time: a fake clock could not drive them
    private final LongSupplier nanoTime = System::nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean requested; // guarded by lock
    private boolean closed; // guarded by lock
    private long completed; // guarded by lock: successful runs
    private Thread thread;

    public CoalescingSync(String name, Duration minInterval, Duration retryDelay, Duration resyncInterval, Action action) {
        this.name = name;
        this.minInterval = minInterval;
        this.retryDelay = retryDelay;
        this.resyncInterval = resyncInterval;
        this.action = action;
    }

    public void start() {
        thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
    }

    /** Asks for a sync soon. Cheap; safe from any thread (informer handlers call it). */
    public void request() {
        lock.lock();
        try {
            requested = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** An informer handler that requests a sync on every add, update and delete. */
    public <T> ResourceEventHandler<T> onEveryChange() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                request();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                request();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                request();
            }
        };
    }

    /** How many syncs have succeeded. */
    public long completed() {
        lock.lock();
        try {
            return completed;
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        long lastStart = nanoTime.getAsLong() - minInterval.toNanos();
        while (true) {
            lock.lock();
            try {
                long resyncAt = lastStart + resyncInterval.toNanos();
                while (!requested && !closed && nanoTime.getAsLong() - resyncAt < 0) {
                    changed.awaitNanos(resyncAt - nanoTime.getAsLong());
                }
                long earliest = lastStart + minInterval.toNanos();
                while (!closed && nanoTime.getAsLong() - earliest < 0) {
                    changed.awaitNanos(earliest - nanoTime.getAsLong());
                }
                if (closed) {
                    return;
                }
                requested = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            lastStart = nanoTime.getAsLong();
            try {
                action.run();
                lock.lock();
                try {
                    completed++;
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log.warn("sync failed, retrying sync={} retryMillis={} error={}", name, retryDelay.toMillis(), e.toString());
                lock.lock();
                try {
                    requested = true;
                    long until = nanoTime.getAsLong() + retryDelay.toNanos();
                    while (!closed && nanoTime.getAsLong() - until < 0) {
                        changed.awaitNanos(until - nanoTime.getAsLong());
                    }
                } catch (InterruptedException interrupted) {
                    return;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Stops the loop, waiting for a running sync to finish. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
