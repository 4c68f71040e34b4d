package dev.konductor.store;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The delivering half of a watch, shared by the store backends: it hands one watch's events to
 * its {@link WatchListener} on a virtual thread of its own, so that a slow listener never holds
 * up the store's writer or another watch.
 *
 * <p>Promises, whatever order the backend's calls race in:
 * <ul>
 *   <li>events reach the listener in strictly increasing revision order, and a revision at or
 *       below one already delivered is dropped (a backend may offer the same event twice, e.g.
 *       once from history and once live);
 *   <li>callbacks never overlap; once {@link #close()} has returned, no new callback starts
 *       (one already running finishes);
 *   <li>{@link WatchListener#onError} is called at most once, and nothing follows it; the
 *       backend subscription is released then, as on close.
 * </ul>
 *
 * <p>A backend with replayable history passes a {@link History}: it is replayed first, and again
 * whenever the listener falls more than {@code maxPending} events behind, in which case the
 * queued live events are discarded (they are in the history). A backend without one gets an
 * error when the listener falls that far behind.
 */
public final class WatchDelivery implements Watch {

    private static final System.Logger LOG = System.getLogger(WatchDelivery.class.getName());

    /** A backend's event log, read on the delivery thread. */
    @FunctionalInterface
    public interface History {
        /**
         * Passes every event after {@code afterRevision} that the watch selects to {@code sink},
         * in revision order, in one or more batches, and returns the revision up to which the
         * replay is complete (live events at or below it are then dropped as duplicates).
         *
         * @throws CompactedException if the events after {@code afterRevision} are gone
         */
        long replay(long afterRevision, Consumer<List<WatchEvent>> sink);
    }

    private sealed interface Signal {
        record Events(List<WatchEvent> events) implements Signal {
        }

        record CatchUp() implements Signal {
        }

        record Failed(StorageException error) implements Signal {
        }

        record Stop() implements Signal {
        }
    }

    private final String name;
    private final WatchListener listener;
    private final History history;
    private final int maxPending;
    private final Consumer<WatchDelivery> onClose;
    private final LinkedBlockingQueue<Signal> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final Object lock = new Object();
    private int pendingEvents;          // guarded by lock
    private boolean failed;             // guarded by lock
    private long delivered;             // delivery thread only
    private final Thread thread;

    private WatchDelivery(String name, long afterRevision, WatchListener listener, History history,
                          int maxPending, Consumer<WatchDelivery> onClose) {
        if (maxPending <= 0) {
            throw new IllegalArgumentException("maxPending must be positive: " + maxPending);
        }
        this.name = name;
        this.delivered = afterRevision;
        this.listener = listener;
        this.history = history;
        this.maxPending = maxPending;
        this.onClose = onClose;
        if (history != null) {
            queue.add(new Signal.CatchUp());
        }
        this.thread = Thread.ofVirtual().name("watch " + name).unstarted(this::run);
    }

    /**
     * A delivery that has not started yet: the backend subscribes it to live events first, then
     * calls {@link #start()}. With a {@code history}, that is replayed from {@code afterRevision}
     * before any live event is delivered.
     *
     * @param name for logs and the thread name, e.g. the watched prefix
     * @param history the backend's log, or {@code null} if it cannot replay
     * @param maxPending how many undelivered live events may queue up
     * @param onClose run once when the watch is closed or fails, to unsubscribe it from the backend
     */
    public static WatchDelivery create(String name, long afterRevision, WatchListener listener, History history,
                                       int maxPending, Consumer<WatchDelivery> onClose) {
        return new WatchDelivery(name, afterRevision, listener, history, maxPending, onClose);
    }

    /** Starts the delivery thread; returns this. */
    public WatchDelivery start() {
        thread.start();
        return this;
    }

    /**
     * Queues live events (already filtered to this watch), in revision order. Never blocks: when
     * the listener is too far behind, the events are dropped and recovered from the history, or
     * the watch fails.
     */
    public void offer(List<WatchEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (failed || closed.get()) {
                return;
            }
            if (pendingEvents + events.size() <= maxPending) {
                pendingEvents += events.size();
                queue.add(new Signal.Events(List.copyOf(events)));
            } else if (history != null) {
                // Everything offered so far is committed, so the history has it: start over from there.
                queue.removeIf(signal -> signal instanceof Signal.Events);
                pendingEvents = 0;
                queue.add(new Signal.CatchUp());
            } else {
                failLocked(new StorageException("watch " + name + " fell more than " + maxPending
                        + " events behind; start a new watch from the last revision seen"));
            }
        }
    }

    /** Ends the watch with {@code error}, after the events already queued. */
    public void fail(StorageException error) {
        synchronized (lock) {
            failLocked(error);
        }
    }

    private void failLocked(StorageException error) {
        if (!failed && !closed.get()) {
            failed = true;
            queue.add(new Signal.Failed(error));
        }
    }

    /** Whether the watch has been closed or has failed; a backend stops feeding it then. */
    public boolean isDone() {
        synchronized (lock) {
            return failed || closed.get();
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            queue.clear();
            queue.add(new Signal.Stop());
            release();
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            try {
                onClose.accept(this);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "releasing watch " + name + " failed", e);
            }
        }
    }

    private void run() {
        try {
            while (!closed.get()) {
                switch (queue.take()) {
                    case Signal.Events(List<WatchEvent> events) -> deliverLive(events);
                    case Signal.CatchUp() -> replay();
                    case Signal.Failed(StorageException error) -> {
                        report(error);
                        return;
                    }
                    case Signal.Stop() -> {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (StorageException e) {
            report(e);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "watch " + name + " listener failed; ending the watch", e);
            report(new StorageException("watch " + name + " listener failed: " + e, e));
        }
    }

    private void deliverLive(List<WatchEvent> first) {
        // Hand the listener everything already queued in one call: fewer, larger batches let a
        // slow listener catch up.
        List<WatchEvent> batch = fresh(first);
        int taken = first.size();
        while (queue.peek() instanceof Signal.Events) {
            if (queue.poll() instanceof Signal.Events(List<WatchEvent> more)) {
                batch.addAll(fresh(more));
                taken += more.size();
            }
        }
        synchronized (lock) {
            pendingEvents = Math.max(0, pendingEvents - taken);
        }
        hand(batch);
    }

    private void replay() {
        long complete = history.replay(delivered, events -> hand(fresh(events)));
        delivered = Math.max(delivered, complete);
    }

    /**
     * The events of one backend batch not delivered yet, advancing {@link #delivered}. Equal
     * revisions within one batch are one multi-key transaction (etcd), not duplicates.
     */
    private List<WatchEvent> fresh(List<WatchEvent> events) {
        long floor = delivered;
        List<WatchEvent> fresh = new ArrayList<>(events.size());
        for (WatchEvent event : events) {
            if (event.revision() > floor && event.revision() >= delivered) {
                fresh.add(event);
                delivered = event.revision();
            }
        }
        return fresh;
    }

    private void hand(List<WatchEvent> events) {
        if (!events.isEmpty() && !closed.get()) {
            listener.onEvents(List.copyOf(events));
        }
    }

    private void report(StorageException error) {
        synchronized (lock) {
            failed = true;
        }
        release();
        if (!closed.get()) {
            listener.onError(error);
        }
    }
}
