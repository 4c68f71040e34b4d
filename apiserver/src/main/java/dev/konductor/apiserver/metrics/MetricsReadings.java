package dev.konductor.apiserver.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.store.KeyValue;
import dev.konductor.store.RangeResult;
import dev.konductor.store.Store;
import dev.konductor.store.WriteResult;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
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
 * and name. A reading not reported again within five of its windows (two minutes at least) is
 * dropped, as metrics-server drops what its latest scrape no longer returns: the node left, or the
 * agent that reported for a pod is gone. Servers that share an etcd do not use it: one server's
 * memory would hide a reading from the others. Thread-safe.
 */
public final class MetricsReadings {

    public static final String GROUP = "metrics.k8s.io";

    /** How many of its windows a reading outlives its report by. */
    static final int STALE_AFTER_WINDOWS = 5;
    static final Duration MIN_KEEP = Duration.ofMinutes(2);

    private final Map<String, ConcurrentMap<Key, Entry>> byResource = new ConcurrentHashMap<>();
    private final InstantSource clock;

    /** A reading, and when it is stale unless reported again. */
    private record Entry(ObjectNode reading, Instant staleAt) {
    }

    public MetricsReadings(InstantSource clock) {
        this.clock = clock;
    }

    /** Where a reading is: its namespace ({@code ""} for a node) and name. */
    public record Key(String namespace, String name) {
        public Key {
            namespace = namespace == null ? "" : namespace;
        }
    }

    private ConcurrentMap<Key, Entry> of(String resource) {
        return byResource.computeIfAbsent(resource, r -> new ConcurrentHashMap<>());
    }

    public Optional<ObjectNode> get(String resource, Key key) {
        return Optional.ofNullable(fresh(resource, key, of(resource).get(key)));
    }

    /** Stores {@code reading} under {@code key}; returns the one it replaced, if any. */
    public Optional<ObjectNode> put(String resource, Key key, ObjectNode reading) {
        return Optional.ofNullable(fresh(resource, key, of(resource).put(key, entry(reading))));
    }

    /** Stores {@code reading} unless one is there already; returns the one already there, if any. */
    public Optional<ObjectNode> putIfAbsent(String resource, Key key, ObjectNode reading) {
        ConcurrentMap<Key, Entry> readings = of(resource);
        Entry entry = entry(reading);
        Entry present = readings.putIfAbsent(key, entry);
        if (present != null && fresh(resource, key, present) == null && readings.putIfAbsent(key, entry) == null) {
            return Optional.empty(); // the one there was stale: this one took its place
        }
        return Optional.ofNullable(present == null ? null : present.reading());
    }

    public Optional<ObjectNode> remove(String resource, Key key) {
        return Optional.ofNullable(fresh(resource, key, of(resource).remove(key)));
    }

    /** The readings in {@code namespace} (null: all) that {@code filter} accepts, by namespace and name. */
    public List<ObjectNode> list(String resource, String namespace, Predicate<ObjectNode> filter) {
        List<Map.Entry<Key, ObjectNode>> matching = new ArrayList<>();
        for (Map.Entry<Key, Entry> e : of(resource).entrySet()) {
            ObjectNode reading = fresh(resource, e.getKey(), e.getValue());
            if (reading != null && (namespace == null || namespace.equals(e.getKey().namespace()))
                    && filter.test(reading)) {
                matching.add(Map.entry(e.getKey(), reading));
            }
        }
        matching.sort(Comparator.comparing((Map.Entry<Key, ObjectNode> e) -> e.getKey().namespace())
                .thenComparing(e -> e.getKey().name()));
        return matching.stream().map(Map.Entry::getValue).toList();
    }

    private Entry entry(ObjectNode reading) {
        Duration keep = window(reading).multipliedBy(STALE_AFTER_WINDOWS);
        return new Entry(reading, clock.instant().plus(keep.compareTo(MIN_KEEP) > 0 ? keep : MIN_KEEP));
    }

    /** The entry's reading, or null when there is none or it went stale (then it is dropped). */
    private ObjectNode fresh(String resource, Key key, Entry entry) {
        if (entry == null) {
            return null;
        }
        if (clock.instant().isAfter(entry.staleAt())) {
            of(resource).remove(key, entry);
            return null;
        }
        return entry.reading();
    }

    /** The reading's {@code window} (a Go duration, "15s"); zero when absent or unreadable. */
    private static Duration window(ObjectNode reading) {
        try {
            return io.fabric8.kubernetes.api.model.Duration.parse(reading.path("window").asText("0s")).getDuration();
        } catch (java.text.ParseException | RuntimeException e) {
            return Duration.ZERO;
        }
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
