package dev.konductor.controllers.framework;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's controller expectations: after a controller asks for N pods to be created or
 * deleted, it must not act on the same owner again until its informer has seen those N changes
 * (or five minutes passed), or it would create or delete twice from a stale cache.
 */
public final class Expectations {

    static final Duration TTL = Duration.ofMinutes(5);

    private record Pending(int adds, int deletes, long sinceMillis) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    public Expectations(Clock clock) {
        this.clock = clock;
    }

    /** True when the owner's earlier creations and deletions have all been observed (or expired). */
    public boolean satisfied(String ownerKey) {
        Pending p = pending.get(ownerKey);
        return p == null || (p.adds <= 0 && p.deletes <= 0) || clock.millis() - p.sinceMillis > TTL.toMillis();
    }

    public void expect(String ownerKey, int adds, int deletes) {
        pending.put(ownerKey, new Pending(adds, deletes, clock.millis()));
    }

    public void expectCreations(String ownerKey, int adds) {
        expect(ownerKey, adds, 0);
    }

    public void expectDeletions(String ownerKey, int deletes) {
        expect(ownerKey, 0, deletes);
    }

    /** An expected creation happened, or will not (the create call failed). */
    public void creationObserved(String ownerKey) {
        pending.computeIfPresent(ownerKey, (k, p) -> new Pending(p.adds - 1, p.deletes, p.sinceMillis));
    }

    /** An expected deletion happened, or will not (the delete call failed). */
    public void deletionObserved(String ownerKey) {
        pending.computeIfPresent(ownerKey, (k, p) -> new Pending(p.adds, p.deletes - 1, p.sinceMillis));
    }

    /** Forgets the owner (it was deleted). */
    public void delete(String ownerKey) {
        pending.remove(ownerKey);
    }
}
