package dev.konductor.apiserver.watchcache;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.store.KeyValue;
import dev.konductor.store.RangeResult;
import dev.konductor.store.StorageException;
import dev.konductor.store.Store;
import dev.konductor.store.Watch;
import dev.konductor.store.WatchEvent;
import dev.konductor.store.WatchListener;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's in-memory view of the whole store: one store watch over {@code /registry/}
 * feeds a {@link ResourceCache} per resource, so lists and watches never read the store.
 * {@link #waitUntil} lets a consistent read wait until the cache has caught up with a revision.
 */
public final class WatchCache implements AutoCloseable {

    public static final String ROOT = "/registry/";
    private static final Logger log = LoggerFactory.getLogger(WatchCache.class);
    private static final int PAGE = 5_000;

    private final Store store;
    /** Decodes (with compact trees: {@link CompactNodeFactory}) and serializes the cached objects. */
    private final ObjectMapper mapper;
    private final SharedFieldSets fieldSets = new SharedFieldSets();
    private final Map<String, ResourceCache> caches = new ConcurrentHashMap<>();
    private final ReentrantLock progress = new ReentrantLock();
    private final Condition advanced = progress.newCondition();
    private volatile long revision;
    private volatile long startRevision;
    private volatile Watch watch;
    private volatile boolean closed;

    public WatchCache(Store store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = CompactNodeFactory.decoderFrom(mapper);
    }

    /** Loads everything and starts following the store. */
    public void start() {
        long at = 0;
        String startKey = null;
        long loaded = 0;
        while (true) {
            RangeResult page = store.range(ROOT, startKey, at, PAGE);
            at = page.revision();
            for (KeyValue kv : page.kvs()) {
                CachedObject o = decode(kv);
                if (o != null) {
                    cacheFor(kv.key(), at).load(o);
                    loaded++;
                }
            }
            if (!page.more() || page.kvs().isEmpty()) {
                break;
            }
            startKey = page.kvs().getLast().key() + "\0";
        }
        startRevision = at;
        revision = at;
        watch = store.watch(ROOT, at, new Listener());
        log.info("watch cache started revision={} objects={}", at, loaded);
    }

    /** The highest store revision the cache reflects. */
    public long revision() {
        return revision;
    }

    /**
     * Blocks until the cache reflects {@code target}; false if it did not within the timeout
     * (then the caller may read the store directly).
     */
    public boolean waitUntil(long target, long timeoutMillis) {
        if (revision >= target) {
            return true;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        progress.lock();
        try {
            while (revision < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                advanced.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            progress.unlock();
        }
    }

    /** Waits until the cache holds every write acknowledged before this call. */
    public boolean waitFresh(long timeoutMillis) {
        return waitUntil(store.currentRevision(), timeoutMillis);
    }

    /** The cache of the resource stored under {@code prefix} ({@code /registry/pods/}). */
    public ResourceCache resource(String prefix) {
        return caches.computeIfAbsent(prefix, p -> new ResourceCache(p, startRevision));
    }

    /**
     * Starts a watch; null when {@code afterRevision} is older than the history kept (410 Gone).
     */
    public CacheWatcher watch(String prefix, WatchFilter filter, long afterRevision, boolean initialState) {
        return resource(prefix).watch(filter, afterRevision, initialState);
    }

    /** The oldest resourceVersion a watch on {@code prefix} can resume from (older ones get 410). */
    public long oldestWatchableRevision(String prefix) {
        return resource(prefix).historyStart();
    }

    private ResourceCache cacheFor(String key, long at) {
        return caches.computeIfAbsent(prefixOf(key), p -> new ResourceCache(p, at));
    }

    /**
     * {@code /registry/pods/ns/x} → {@code /registry/pods/}; a first segment with a dot is an
     * API group, so {@code /registry/coordination.k8s.io/leases/ns/x} → its first two segments.
     */
    static String prefixOf(String key) {
        int first = key.indexOf('/', ROOT.length());
        if (first < 0) {
            return key;
        }
        String segment = key.substring(ROOT.length(), first);
        if (segment.indexOf('.') >= 0) {
            int second = key.indexOf('/', first + 1);
            return second < 0 ? key : key.substring(0, second + 1);
        }
        return key.substring(0, first + 1);
    }

    private CachedObject decode(KeyValue kv) {
        try {
            return CachedObject.decode(mapper, kv, fieldSets);
        } catch (IOException e) {
            log.warn("skipping undecodable object key={} error={}", kv.key(), e.toString());
            return null;
        }
    }

    private final class Listener implements WatchListener {
        @Override
        public void onEvents(List<WatchEvent> events) {
            for (WatchEvent e : events) {
                apply(e);
            }
            progress.lock();
            try {
                revision = events.getLast().revision();
                advanced.signalAll();
            } finally {
                progress.unlock();
            }
        }

        private void apply(WatchEvent e) {
            // a resource first seen now had no events since the cache started: its history is complete from there
            ResourceCache cache = cacheFor(e.kv().key(), startRevision);
            // events arrive in revision order, so the cached object is exactly the previous state
            CachedObject previous = cache.get(e.kv().key());
            if (e.type() == WatchEvent.Type.DELETE) {
                CachedObject last = previous == null ? null : previous.withRevision(e.revision());
                if (last != null) {
                    cache.apply(new CacheEvent(CacheEvent.Type.DELETED, last, previous, e.revision()));
                    // the last state keeps its tree: releasing it would serialize it here, on the
                    // dispatcher, instead of in the watchers that send it
                    previous.release(mapper);
                }
                return;
            }
            CachedObject now = decode(e.kv());
            if (now == null) {
                return;
            }
            cache.apply(new CacheEvent(previous == null ? CacheEvent.Type.ADDED : CacheEvent.Type.MODIFIED,
                    now, previous, e.revision()));
            if (previous != null) {
                previous.release(mapper); // the watchers have compared with it; now the history's alone
            }
        }

        @Override
        public void onError(StorageException error) {
            if (closed) {
                return;
            }
            log.error("store watch failed, restarting the cache error={}", error.toString());
            caches.values().forEach(ResourceCache::terminateWatchers);
            caches.clear();
            Thread.ofVirtual().start(WatchCache.this::start);
        }
    }

    @Override
    public void close() {
        closed = true;
        Watch w = watch;
        if (w != null) {
            w.close();
        }
        caches.values().forEach(ResourceCache::terminateWatchers);
    }
}
