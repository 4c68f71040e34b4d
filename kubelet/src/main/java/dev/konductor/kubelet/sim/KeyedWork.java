package dev.konductor.kubelet.sim;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys to process on a fixed number of worker threads, with client-go's work-queue promises
 * (a smaller cousin of the controller manager's queue, which this module cannot depend on):
 * a key added any number of times before a worker takes it is processed once; a key is never
 * processed by two workers at once (added while processing, it runs again afterwards); a failed
 * key is retried after an exponential backoff (10 ms doubling to 30 s); {@link #addAfter} is a
 * timer on the shared scheduler, not a sleeping thread.
 */
final class KeyedWork implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KeyedWork.class);
    private static final long BASE_BACKOFF_MILLIS = 10;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /** After this many failures in a row a key is logged at warn level (and still retried). */
    private static final int LOUD_FAILURES = 5;

    private final String name;
    private final Consumer<String> processor;
    private final ScheduledExecutorService timers;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final Thread[] workers;
    private boolean shuttingDown; // guarded by this

    KeyedWork(String name, int workers, ScheduledExecutorService timers, Consumer<String> processor) {
        this.name = name;
        this.processor = processor;
        this.timers = timers;
        this.workers = new Thread[workers];
        for (int i = 0; i < workers; i++) {
            this.workers[i] = Thread.ofVirtual().name(name + "-" + i).unstarted(this::work);
        }
    }

    void start() {
        for (Thread worker : workers) {
            worker.start();
        }
    }

    synchronized void add(String key) {
        if (shuttingDown || !dirty.add(key)) {
            return;
        }
        if (!processing.contains(key)) {
            queue.addLast(key);
            notify();
        }
    }

    void addAfter(String key, Duration delay) {
        if (delay.isNegative() || delay.isZero()) {
            add(key);
            return;
        }
        try {
            timers.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // closing
        }
    }

    /** Keys waiting or being processed; for tests and logs. */
    synchronized int pending() {
        return dirty.size() + processing.size();
    }

    private void work() {
        while (true) {
            String key;
            synchronized (this) {
                while (queue.isEmpty() && !shuttingDown) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (shuttingDown) {
                    return;
                }
                key = queue.removeFirst();
                dirty.remove(key);
                processing.add(key);
            }
            RuntimeException failure = null;
            try {
                processor.accept(key);
            } catch (RuntimeException e) {
                failure = e;
            }
            boolean failed = failure != null;
            Duration retry = null;
            synchronized (this) {
                processing.remove(key);
                if (failed) {
                    int n = failures.merge(key, 1, Integer::sum);
                    if (n >= LOUD_FAILURES) {
                        log.warn("{}: {} failed {} times, retrying: {}", name, key, n, failure.toString());
                    } else {
                        log.debug("{}: {} failed, retrying: {}", name, key, failure.toString());
                    }
                    retry = Duration.ofMillis(Math.min(MAX_BACKOFF_MILLIS, BASE_BACKOFF_MILLIS << Math.min(n - 1, 20)));
                } else {
                    failures.remove(key);
                }
                if (dirty.contains(key)) {
                    queue.addLast(key);
                    notify();
                }
            }
            if (retry != null) {
                addAfter(key, retry);
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            shuttingDown = true;
            queue.clear();
            dirty.clear();
            notifyAll();
        }
        for (Thread worker : workers) {
            worker.interrupt();
        }
    }
}
