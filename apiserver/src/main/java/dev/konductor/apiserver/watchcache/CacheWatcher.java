package dev.konductor.apiserver.watchcache;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One client watch on one resource. The cache offers it events without ever blocking; the
 * client's own thread takes them with {@link #next}. A watcher whose queue overflows (a client
 * too slow to keep up) is terminated, and the client re-watches, as upstream does.
 */
public final class CacheWatcher implements AutoCloseable {

    static final int QUEUE_CAPACITY = 4096;

    private final WatchFilter filter;
    private final BlockingQueue<CacheEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Runnable unregister;
    private volatile boolean terminated;

    CacheWatcher(WatchFilter filter, Runnable unregister) {
        this.filter = filter;
        this.unregister = unregister;
    }

    WatchFilter filter() {
        return filter;
    }

    /** Called by the cache in revision order; turns a change into what this watcher sees. */
    void offer(CacheEvent event) {
        if (terminated) {
            return;
        }
        CacheEvent visible = visible(event);
        if (visible != null && !queue.offer(visible)) {
            terminated = true;
            unregister.run();
        }
    }

    /**
     * An object moving into the filter is ADDED for this watcher, moving out of it DELETED with
     * its previous content at the event's resourceVersion (upstream's watch semantics for
     * selectors: the watcher last saw it matching).
     */
    private CacheEvent visible(CacheEvent e) {
        boolean now = e.type() != CacheEvent.Type.DELETED && filter.matches(e.object());
        boolean before = e.type() == CacheEvent.Type.DELETED ? filter.matches(e.object()) : filter.matches(e.previous());
        if (e.type() == CacheEvent.Type.DELETED) {
            return before ? e : null;
        }
        if (now && before) {
            return e;
        }
        if (now) {
            return new CacheEvent(CacheEvent.Type.ADDED, e.object(), null, e.revision());
        }
        if (before) {
            return new CacheEvent(CacheEvent.Type.DELETED, e.previous().withRevision(e.revision()), e.previous(),
                    e.revision());
        }
        return null;
    }

    /** The next event, or null after {@code timeoutMillis}; throws once the watcher is terminated. */
    public CacheEvent next(long timeoutMillis) throws InterruptedException, WatcherTerminatedException {
        CacheEvent e = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (e == null && terminated) {
            throw new WatcherTerminatedException();
        }
        return e;
    }

    /**
     * Moves up to {@code max} events that are already queued into {@code into}, without waiting:
     * a watch that fell behind sends its backlog in one write.
     */
    public int drainReady(java.util.Collection<CacheEvent> into, int max) {
        return queue.drainTo(into, max);
    }

    public boolean terminated() {
        return terminated;
    }

    void terminate() {
        terminated = true;
    }

    @Override
    public void close() {
        terminated = true;
        unregister.run();
    }

    /** The watcher fell too far behind (or the cache restarted); the client must re-watch. */
    public static final class WatcherTerminatedException extends Exception {
        public WatcherTerminatedException() {
            super("watch terminated", null, false, false);
        }
    }
}
