package dev.konductor.apiserver.storage;

import dev.konductor.store.StorageException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a piece of store upkeep every interval on a virtual thread of its own until closed: the
 * loop of the {@link Compactor} and the {@link EventExpiry}. A tick that fails in the store is
 * logged, and the next interval tries again.
 */
final class StoreTicker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreTicker.class);

    private final String name;
    private final Duration interval;
    private final Runnable tick;
    private Thread loop;

    StoreTicker(String name, Duration interval, Runnable tick) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(name + " interval must be positive: " + interval);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.interval = interval;
        this.tick = Objects.requireNonNull(tick, "tick");
    }

    synchronized void start() {
        if (loop != null) {
            throw new IllegalStateException(name + " already started");
        }
        loop = Thread.ofVirtual().name(name).start(this::run);
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
                tick.run();
            } catch (InterruptedException e) {
                return;
            } catch (StorageException e) {
                log.warn("{} failed, retrying next interval: {}", name, e.getMessage());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.interrupt();
            loop = null;
        }
    }
}
