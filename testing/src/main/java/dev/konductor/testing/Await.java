package dev.konductor.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits in tests for something that happens asynchronously (a controller acting, a watch event). */
public final class Await {

    private Await() {
    }

    /**
     * Polls {@code condition} until it holds, failing with {@code what} after {@code timeout}.
     * Exceptions from the condition count as "not yet".
     */
    public static void until(Duration timeout, String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what, last);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** {@link #until} with a 20 s timeout, generous for the shared 2-core machines. */
    public static void until(String what, Supplier<Boolean> condition) {
        until(Duration.ofSeconds(20), what, condition);
    }
}
