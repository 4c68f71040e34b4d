package dev.konductor.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the slices this controller last wrote for each Service, so that a reconcile working
 * from an informer cache that has not caught up with those writes (a slice just created missing,
 * one just deleted still there, an older version of one just updated) can tell and wait, instead
 * of creating the same endpoints twice (upstream's endpointSliceTracker).
 */
final class SliceTracker {

    /** Resource version a slice must reach, or {@link #DELETED}. */
    private static final long DELETED = -1;
    /** A write not seen after this long is given up on (someone else may have deleted the slice). */
    private static final long PATIENCE_NANOS = 10_000_000_000L;

    private record Write(long version, long atNanos) {
    }

    private final Map<String, Map<String, Write>> written = new ConcurrentHashMap<>();

    void created(String serviceKey, EndpointSlice slice) {
        record(serviceKey, slice.getMetadata().getName(), version(slice));
    }

    void updated(String serviceKey, EndpointSlice slice) {
        record(serviceKey, slice.getMetadata().getName(), version(slice));
    }

    void deleted(String serviceKey, EndpointSlice slice) {
        record(serviceKey, slice.getMetadata().getName(), DELETED);
    }

    /** A slice was deleted, by us or anyone: stop waiting for any version of it. */
    void gone(String serviceKey, String sliceName) {
        Map<String, Write> slices = written.get(serviceKey);
        if (slices != null) {
            synchronized (slices) {
                slices.remove(sliceName);
            }
        }
    }

    void forget(String serviceKey) {
        written.remove(serviceKey);
    }

    /** True if {@code cached} (the informer's view of the service's slices) misses a write of ours. */
    boolean stale(String serviceKey, List<EndpointSlice> cached) {
        Map<String, Write> expected = written.get(serviceKey);
        if (expected == null) {
            return false;
        }
        Map<String, Long> seen = new HashMap<>();
        cached.forEach(s -> seen.put(s.getMetadata().getName(), version(s)));
        long now = System.nanoTime();
        synchronized (expected) {
            expected.values().removeIf(w -> now - w.atNanos > PATIENCE_NANOS);
            for (Map.Entry<String, Write> e : expected.entrySet()) {
                Long version = seen.get(e.getKey());
                long wanted = e.getValue().version;
                if (wanted == DELETED ? version != null : version == null || version < wanted) {
                    return true;
                }
            }
        }
        return false;
    }

    private void record(String serviceKey, String name, long version) {
        Map<String, Write> slices = written.computeIfAbsent(serviceKey, k -> new HashMap<>());
        synchronized (slices) {
            slices.put(name, new Write(version, System.nanoTime()));
        }
    }

    private static long version(EndpointSlice slice) {
        try {
            return Long.parseLong(slice.getMetadata().getResourceVersion());
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
