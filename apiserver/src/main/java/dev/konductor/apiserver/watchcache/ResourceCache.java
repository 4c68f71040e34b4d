package dev.konductor.apiserver.watchcache;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The objects of one resource (one storage prefix), with an index by {@code spec.nodeName}, a
 * bounded history of recent events for watches that resume from a resourceVersion, and the
 * watchers to fan events out to. Changes are applied by the cache's single dispatcher thread;
 * reads may come from any thread.
 */
public final class ResourceCache {

    static final int HISTORY_CAPACITY = 10_000;

    private final String prefix;
    private final ConcurrentSkipListMap<String, CachedObject> objects = new ConcurrentSkipListMap<>();
    private final Map<String, Set<String>> keysByNode = new HashMap<>();
    private final ArrayDeque<CacheEvent> history = new ArrayDeque<>();
    private final List<CacheWatcher> watchers = new CopyOnWriteArrayList<>();
    private final Map<String, List<CacheWatcher>> watchersByNode = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Every event for this resource with a revision above this one is in {@link #history}. */
    private long historyStart;

    ResourceCache(String prefix, long startRevision) {
        this.prefix = prefix;
        this.historyStart = startRevision;
    }

    public String prefix() {
        return prefix;
    }

    /** Loads an object during the initial list (no event, no watchers yet). */
    void load(CachedObject o) {
        objects.put(o.key(), o);
        indexNode(o.key(), null, o.nodeName());
    }

    /** Applies one change from the store, in revision order. */
    void apply(CacheEvent event) {
        lock.lock();
        try {
            String key = event.object().key();
            String oldNode = event.previous() == null ? null : event.previous().nodeName();
            if (event.type() == CacheEvent.Type.DELETED) {
                objects.remove(key);
                indexNode(key, oldNode, null);
            } else {
                objects.put(key, event.object());
                indexNode(key, oldNode, event.object().nodeName());
            }
            history.addLast(event);
            if (history.size() > HISTORY_CAPACITY) {
                historyStart = history.removeFirst().revision();
            }
            for (CacheWatcher w : watchers) {
                w.offer(event);
            }
            dispatchToNodeWatchers(event, oldNode);
        } finally {
            lock.unlock();
        }
    }

    private void dispatchToNodeWatchers(CacheEvent event, String oldNode) {
        if (watchersByNode.isEmpty()) {
            return;
        }
        String newNode = event.object().nodeName();
        List<CacheWatcher> targets = watchersByNode.get(newNode);
        if (targets != null) {
            targets.forEach(w -> w.offer(event));
        }
        if (oldNode != null && !oldNode.equals(newNode)) {
            List<CacheWatcher> old = watchersByNode.get(oldNode);
            if (old != null) {
                old.forEach(w -> w.offer(event));
            }
        }
    }

    private void indexNode(String key, String oldNode, String newNode) {
        if (oldNode != null && !oldNode.isEmpty() && !oldNode.equals(newNode)) {
            Set<String> keys = keysByNode.get(oldNode);
            if (keys != null) {
                keys.remove(key);
                if (keys.isEmpty()) {
                    keysByNode.remove(oldNode);
                }
            }
        }
        if (newNode != null && !newNode.isEmpty()) {
            keysByNode.computeIfAbsent(newNode, n -> new HashSet<>()).add(key);
        }
    }

    public CachedObject get(String key) {
        return objects.get(key);
    }

    /** Matching objects in key order (namespace and node served from indexes). */
    public List<CachedObject> list(WatchFilter filter) {
        if (filter.nodeName() != null) {
            List<CachedObject> out = new ArrayList<>();
            lock.lock();
            try {
                for (String key : keysByNode.getOrDefault(filter.nodeName(), Set.of())) {
                    CachedObject o = objects.get(key);
                    if (filter.matches(o)) {
                        out.add(o);
                    }
                }
            } finally {
                lock.unlock();
            }
            out.sort(java.util.Comparator.comparing(CachedObject::key));
            return out;
        }
        Collection<CachedObject> candidates = scope(filter.namespace()).values();
        List<CachedObject> out = new ArrayList<>();
        for (CachedObject o : candidates) {
            if (filter.matches(o)) {
                out.add(o);
            }
        }
        return out;
    }

    /** Objects after {@code startKey} (exclusive; null from the start) in the filter's namespace. */
    public NavigableMap<String, CachedObject> scope(String namespace) {
        if (namespace == null) {
            return objects;
        }
        String from = prefix + namespace + "/";
        return objects.subMap(from, true, from + Character.MAX_VALUE, false);
    }

    /** Events for this resource after this revision are all still in the history. */
    long historyStart() {
        lock.lock();
        try {
            return historyStart;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        return objects.size();
    }

    /**
     * Registers a watcher for changes after {@code afterRevision}; events already in history
     * after that revision are queued first. Returns null if that history is gone (410).
     *
     * @param initialState whether to first send the matching objects as ADDED (watch without a
     *                     resourceVersion, or "0")
     */
    CacheWatcher watch(WatchFilter filter, long afterRevision, boolean initialState) {
        lock.lock();
        try {
            if (!initialState && afterRevision < historyStart) {
                return null;
            }
            CacheWatcher registered = register(filter);
            if (initialState) {
                for (CachedObject o : list(filter)) {
                    registered.offer(new CacheEvent(CacheEvent.Type.ADDED, o, null, o.modRevision()));
                }
            } else {
                for (CacheEvent e : history) {
                    if (e.revision() > afterRevision) {
                        registered.offer(e);
                    }
                }
            }
            return registered;
        } finally {
            lock.unlock();
        }
    }

    private CacheWatcher register(WatchFilter filter) {
        String node = filter.nodeName();
        CacheWatcher[] self = new CacheWatcher[1];
        Runnable unregister = node == null
                ? () -> watchers.remove(self[0])
                : () -> {
                    lock.lock();
                    try {
                        List<CacheWatcher> list = watchersByNode.get(node);
                        if (list != null) {
                            list.remove(self[0]);
                            if (list.isEmpty()) {
                                watchersByNode.remove(node);
                            }
                        }
                    } finally {
                        lock.unlock();
                    }
                };
        self[0] = new CacheWatcher(filter, unregister);
        if (node == null) {
            watchers.add(self[0]);
        } else {
            watchersByNode.computeIfAbsent(node, n -> new ArrayList<>()).add(self[0]);
        }
        return self[0];
    }

    /** Ends every watch (the cache is restarting); clients re-list. */
    void terminateWatchers() {
        lock.lock();
        try {
            watchers.forEach(CacheWatcher::terminate);
            watchers.clear();
            watchersByNode.values().forEach(l -> l.forEach(CacheWatcher::terminate));
            watchersByNode.clear();
        } finally {
            lock.unlock();
        }
    }

    public int watcherCount() {
        return watchers.size() + watchersByNode.values().stream().mapToInt(List::size).sum();
    }
}
