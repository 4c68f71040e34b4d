package dev.konductor.controllers.framework;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * A rate-limited work queue of object keys with client-go's guarantees:
 * <ul>
 *   <li>a key is queued at most once however often it is added (dirty set);</li>
 *   <li>a key is never processed by two workers at once: added while being processed, it is
 *       queued again when the worker calls {@link #done};</li>
 *   <li>{@link #addRateLimited} retries a failing key with per-key exponential backoff (5 ms
 *       doubling up to 1000 s) until {@link #forget} resets it.</li>
 * </ul>
 * Thread-safe. Workers loop on {@link #take}, then {@link #done}.
 */
public final class WorkQueue {

    static final Duration BASE_DELAY = Duration.ofMillis(5);
    static final Duration MAX_DELAY = Duration.ofSeconds(1000);

    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final DelayQueue<Delayed> waiting = new DelayQueue<>();
    private final Thread delayer;
    private boolean shuttingDown;

    public WorkQueue(String name) {
        delayer = Thread.ofVirtual().name("workqueue-delay-" + name).start(this::moveDueItems);
    }

    /** Queues {@code key} unless it is already queued. */
    public synchronized void add(String key) {
        if (shuttingDown || !dirty.add(key)) {
            return;
        }
        if (!processing.contains(key)) {
            queue.add(key);
            notify(); // one key, one worker: waking every worker for it costs each a wake-up and a re-wait
        }
    }

    /** Queues {@code key} once {@code delay} has passed. */
    public void addAfter(String key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        synchronized (this) {
            if (shuttingDown) {
                return;
            }
        }
        waiting.add(new DelayedKey(key, System.nanoTime() + delay.toNanos()));
    }

    /** Queues {@code key} after its backoff, which doubles with each call until {@link #forget}. */
    public void addRateLimited(String key) {
        int count;
        synchronized (this) {
            count = failures.merge(key, 1, Integer::sum);
        }
        addAfter(key, backoff(count));
    }

    static Duration backoff(int failures) {
        int exponent = Math.min(failures - 1, 40);
        double nanos = BASE_DELAY.toNanos() * Math.pow(2, exponent);
        return nanos >= MAX_DELAY.toNanos() ? MAX_DELAY : Duration.ofNanos((long) nanos);
    }

    /** Resets the backoff of {@code key} (call after it was processed successfully). */
    public synchronized void forget(String key) {
        failures.remove(key);
    }

    /** How many times {@code key} failed since it was last forgotten. */
    public synchronized int failures(String key) {
        return failures.getOrDefault(key, 0);
    }

    /**
     * The next key to process, waiting for one; empty once the queue shuts down. The caller must
     * call {@link #done} with it.
     */
    public synchronized Optional<String> take() throws InterruptedException {
        while (queue.isEmpty() && !shuttingDown) {
            wait();
        }
        if (queue.isEmpty()) {
            return Optional.empty();
        }
        String key = queue.poll();
        processing.add(key);
        dirty.remove(key);
        return Optional.of(key);
    }

    /** Marks {@code key} processed; if it was added meanwhile, it is queued again. */
    public synchronized void done(String key) {
        processing.remove(key);
        if (dirty.contains(key)) {
            queue.add(key);
            notify();
        }
    }

    /** Keys queued (not counting those being processed or waiting for their delay). */
    public synchronized int length() {
        return queue.size();
    }

    /** Stops handing out keys; workers' {@link #take} returns empty. */
    public void shutDown() {
        synchronized (this) {
            shuttingDown = true;
            notifyAll();
        }
        delayer.interrupt();
    }

    public synchronized boolean isShuttingDown() {
        return shuttingDown;
    }

    private void moveDueItems() {
        try {
            while (true) {
                DelayedKey due = (DelayedKey) waiting.take();
                add(due.key);
            }
        } catch (InterruptedException e) {
            // shut down
        }
    }

    private record DelayedKey(String key, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((DelayedKey) other).dueNanos);
        }
    }
}
