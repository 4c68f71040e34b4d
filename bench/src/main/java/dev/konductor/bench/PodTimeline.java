package dev.konductor.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each of the pods {@code p-0 ... p-(n-1)} was sent for creation, first seen bound and first
 * seen Running (System.nanoTime, all taken in this process: creationTimestamp has one-second
 * precision, far too coarse). Written by the creating clients and the watch, read once they are
 * done. Thread-safe.
 */
final class PodTimeline {

    /** What a run came to. */
    record Summary(int pods, int bound, int running, double podsPerSecond, double bindP50Millis,
                   double bindP99Millis, double startupP50Millis, double startupP99Millis, double firstToLastBoundSeconds) {
    }

    private static final long UNSET = Long.MIN_VALUE;

    private final String prefix;
    private final int pods;
    private final AtomicLongArray sent;
    private final AtomicLongArray bound;
    private final AtomicLongArray running;
    private final CountDownLatch allRunning;

    PodTimeline(String prefix, int pods) {
        this.prefix = prefix;
        this.pods = pods;
        this.sent = unset(pods);
        this.bound = unset(pods);
        this.running = unset(pods);
        this.allRunning = new CountDownLatch(pods);
    }

    private static AtomicLongArray unset(int n) {
        AtomicLongArray a = new AtomicLongArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, UNSET);
        }
        return a;
    }

    int pods() {
        return pods;
    }

    /** The name of pod {@code i}. */
    String name(int i) {
        return prefix + i;
    }

    void sent(int i, long nanos) {
        sent.set(i, nanos);
    }

    /** Records what a watch event at {@code nanos} shows; events for other pods are ignored. */
    void observed(PodEvent event, long nanos) {
        int i = index(event.name());
        if (i < 0) {
            return;
        }
        if (event.bound()) {
            bound.compareAndSet(i, UNSET, nanos);
        }
        if (event.running() && running.compareAndSet(i, UNSET, nanos)) {
            allRunning.countDown();
        }
    }

    /** The moments a pod passes. */
    enum Stage { SENT, BOUND, RUNNING }

    /** Per pod that passed both: the time from {@code from} to {@code to}. */
    Latencies latencies(Stage from, Stage to) {
        Latencies out = new Latencies();
        for (int i = 0; i < pods; i++) {
            long a = at(from, i);
            long b = at(to, i);
            if (a != UNSET && b != UNSET) {
                out.add(b - a);
            }
        }
        return out;
    }

    private long at(Stage stage, int i) {
        return switch (stage) {
            case SENT -> sent.get(i);
            case BOUND -> bound.get(i);
            case RUNNING -> running.get(i);
        };
    }

    /** Waits until every pod was seen Running; false on timeout. */
    boolean awaitAllRunning(long timeout, TimeUnit unit) throws InterruptedException {
        return allRunning.await(timeout, unit);
    }

    long runningCount() {
        return pods - allRunning.getCount();
    }

    private int index(String name) {
        if (!name.startsWith(prefix)) {
            return -1;
        }
        try {
            int i = Integer.parseInt(name, prefix.length(), name.length(), 10);
            return i >= 0 && i < pods ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Pods per second is the pods bound over the time from the first create request to the last
     * binding seen; startup latency is per pod, from its create request to the event showing it
     * Running, over the pods that got there.
     */
    Summary summary() {
        Latencies binding = new Latencies();
        Latencies startup = new Latencies();
        long firstSent = Long.MAX_VALUE;
        long lastBound = Long.MIN_VALUE;
        int boundCount = 0;
        int runningCount = 0;
        for (int i = 0; i < pods; i++) {
            long s = sent.get(i);
            if (s == UNSET) {
                continue;
            }
            firstSent = Math.min(firstSent, s);
            long b = bound.get(i);
            if (b != UNSET) {
                boundCount++;
                lastBound = Math.max(lastBound, b);
                binding.add(b - s);
            }
            long r = running.get(i);
            if (r != UNSET) {
                runningCount++;
                startup.add(r - s);
            }
        }
        double seconds = boundCount == 0 ? Double.NaN : (lastBound - firstSent) / 1e9;
        return new Summary(pods, boundCount, runningCount, boundCount / seconds, binding.percentileMillis(50),
                binding.percentileMillis(99), startup.percentileMillis(50), startup.percentileMillis(99), seconds);
    }
}
