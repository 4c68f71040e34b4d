package dev.konductor.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A listener that records what a watch delivers, for tests to wait on and inspect. */
public final class RecordingListener implements WatchListener {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<WatchEvent> events = new ArrayList<>();
    private final CompletableFuture<StorageException> error = new CompletableFuture<>();
    private final AtomicBoolean overlapping = new AtomicBoolean();
    private final AtomicBoolean inCallback = new AtomicBoolean();

    @Override
    public void onEvents(List<WatchEvent> batch) {
        enter();
        try {
            synchronized (this) {
                events.addAll(batch);
                notifyAll();
            }
        } finally {
            inCallback.set(false);
        }
    }

    @Override
    public void onError(StorageException e) {
        enter();
        try {
            error.complete(e);
        } finally {
            inCallback.set(false);
        }
    }

    private void enter() {
        if (!inCallback.compareAndSet(false, true)) {
            overlapping.set(true);
        }
    }

    /** Waits until at least {@code count} events arrived (failing after a generous timeout); returns all so far. */
    public synchronized List<WatchEvent> awaitEvents(int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (events.size() < count && !error.isDone()) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " events, got " + events.size() + ": " + events);
            }
            wait(left);
        }
        if (error.isDone() && events.size() < count) {
            throw new AssertionError("watch failed after " + events.size() + " events", error.getNow(null));
        }
        return List.copyOf(events);
    }

    /** Waits for the watch to fail (failing the test after a generous timeout). */
    public StorageException awaitError() throws Exception {
        return error.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    public synchronized List<WatchEvent> events() {
        return List.copyOf(events);
    }

    public boolean failed() {
        return error.isDone();
    }

    /** Whether two callbacks ever ran at the same time (they must not). */
    public boolean sawOverlappingCallbacks() {
        return overlapping.get();
    }
}
