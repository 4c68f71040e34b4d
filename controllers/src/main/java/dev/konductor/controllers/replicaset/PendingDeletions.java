package dev.konductor.controllers.replicaset;

import dev.konductor.controllers.framework.Expectations;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which pods an owner asked to delete, so that only their disappearance lowers its deletion
 * expectations (upstream's UID-tracking expectations). Counting any pod deletion instead would
 * let a pod seen twice (once marked for deletion, once gone) or deleted by a user satisfy the
 * expectation early, and a stale cache would then delete more pods than asked.
 */
final class PendingDeletions {

    private final Expectations expectations;
    private final Map<String, Set<String>> pending = new ConcurrentHashMap<>();

    PendingDeletions(Expectations expectations) {
        this.expectations = expectations;
    }

    /** The owner is about to delete these pods (keys). */
    void expect(String ownerKey, Collection<String> podKeys) {
        Set<String> keys = ConcurrentHashMap.newKeySet();
        keys.addAll(podKeys);
        pending.put(ownerKey, keys);
        expectations.expectDeletions(ownerKey, podKeys.size());
    }

    /** The pod is gone or going (or its delete call failed): counts once per pending pod. */
    void observed(String ownerKey, String podKey) {
        Set<String> keys = pending.get(ownerKey);
        if (keys != null && keys.remove(podKey)) {
            expectations.deletionObserved(ownerKey);
        }
    }

    void forget(String ownerKey) {
        pending.remove(ownerKey);
    }
}
