package dev.konductor.controllers.framework;

import java.time.Duration;

/**
 * Brings one object to its desired state. Called with the object's key ({@code namespace/name},
 * or {@code name} for cluster-scoped objects) whenever something it depends on changed; reads
 * current state from informer caches and writes through the client. Must be idempotent: it may
 * run any number of times for the same state. Throwing retries the key with backoff.
 */
@FunctionalInterface
public interface Reconciler {

    Result reconcile(String key) throws Exception;

    /** What to do with the key after a successful reconcile. */
    record Result(Duration requeueAfter) {

        private static final Result DONE = new Result(Duration.ZERO);

        /** Nothing more to do until something changes. */
        public static Result done() {
            return DONE;
        }

        /** Look again after {@code delay} even if nothing changes (deadlines, TTLs, heartbeats). */
        public static Result after(Duration delay) {
            return new Result(delay);
        }

        public boolean requeues() {
            return !requeueAfter.isZero();
        }
    }
}
