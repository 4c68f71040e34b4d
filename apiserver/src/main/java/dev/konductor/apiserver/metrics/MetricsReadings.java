package dev.konductor.apiserver.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.store.KeyValue;
import dev.konductor.store.RangeResult;
import dev.konductor.store.Store;
import dev.konductor.store.WriteResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/**
 * The latest metrics.k8s.io readings (PodMetrics, NodeMetrics) the node agents reported, held in
 * memory as upstream's metrics-server holds its scrapes: readings are replaced every resolution
 * period and worth nothing after a restart, so they are never written to the store, never versioned
 * and never watched. Each resource ({@code pods}, {@code nodes}) keeps its readings by namespace
 * and name. Servers that share an etcd do not use it: one server's memory would hide a reading
 * from the others. Thread-safe.
 */
public final class MetricsReadings {

    private final Map<String, ConcurrentMap<Key, ObjectNode>> byResource = new ConcurrentHashMap<>();

    /** Where a reading is: its namespace ({@code ""} for a node) and name. */
    public record Key(String namespace, String name) {
        public Key {
            namespace = namespace == null ? "" : namespace;
        }
    }

    private ConcurrentMap<Key, ObjectNode> of(String resource) {
        return byResource.computeIfAbsent(resource, r -> new ConcurrentHashMap<>());
    }

    public Optional<ObjectNode> get(String resource, Key key) {
        return Optional.ofNullable(of(resource).get(key));
    }

    /** Stores {@code reading} under {@code key}; returns the one it replaced, if any. */
    public Optional<ObjectNode> put(String resource, Key key, ObjectNode reading) {
        return Optional.ofNullable(of(resource).put(key, reading));
    }

    /** Stores {@code reading} unless one is there already; returns the one already there, if any. */
    public Optional<ObjectNode> putIfAbsent(String resource, Key key, ObjectNode reading) {
        return Optional.ofNullable(of(resource).putIfAbsent(key, reading));
    }

    public Optional<ObjectNode> remove(String resource, Key key) {
        return Optional.ofNullable(of(resource).remove(key));
    }

    /** The readings in {@code namespace} (null: all) that {@code filter} accepts, by namespace and name. */
    public List<ObjectNode> list(String resource, String namespace, Predicate<ObjectNode> filter) {
        List<Map.Entry<Key, ObjectNode>> matching = new ArrayList<>();
        for (Map.Entry<Key, ObjectNode> e : of(resource).entrySet()) {
            if ((namespace == null || namespace.equals(e.getKey().namespace())) && filter.test(e.getValue())) {
                matching.add(e);
            }
        }
        matching.sort(Comparator.comparing((Map.Entry<Key, ObjectNode> e) -> e.getKey().namespace())
                .thenComparing(e -> e.getKey().name()));
        return matching.stream().map(Map.Entry::getValue).toList();
    }

    /**
     * Deletes the readings an earlier Konductor kept in the store under {@code prefix} (it wrote
     * them as ordinary objects); returns how many there were. A reading rewritten meanwhile is
     * left for the next start.
     */
    public static int dropStored(Store store, String prefix) {
        int dropped = 0;
        String start = prefix;
        while (true) {
            RangeResult page = store.range(prefix, start, 0, 500);
            for (KeyValue kv : page.kvs()) {
                if (store.delete(kv.key(), kv.modRevision()) instanceof WriteResult.Written) {
                    dropped++;
                }
            }
            if (!page.more() || page.kvs().isEmpty()) {
                return dropped;
            }
            start = page.kvs().getLast().key() + "\0";
        }
    }
}
