package dev.konductor.proxy.ingress;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on its own thread whenever asked, folding requests that arrive while one is
 * pending into one run: a burst of informer events costs one route-table rebuild, not one each.
 * A run that fails is retried after a delay.
 */
final class Coalescer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Coalescer.class);

    private final String name;
    private final Runnable action;
    private final Duration retryDelay;
    private final BlockingQueue<Boolean> pending = new ArrayBlockingQueue<>(1);
    private final Thread thread;

    Coalescer(String name, Runnable action, Duration retryDelay) {
        this.name = name;
        this.action = action;
        this.retryDelay = retryDelay;
        this.thread = Thread.ofVirtual().name(name).start(this::loop);
    }

    /** Asks for a run; returns at once. */
    void signal() {
        pending.offer(Boolean.TRUE);
    }

    private void loop() {
        try {
            while (true) {
                pending.take();
                try {
                    action.run();
                } catch (RuntimeException e) {
                    log.warn("{} failed, retrying in {} ms: {}", name, retryDelay.toMillis(), e.toString());
                    Thread.sleep(retryDelay.toMillis());
                    signal();
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
