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

    /**
     * How long {@link #until(String, Supplier)} waits. CI's 2 cores are shared, at load averages
     * of 20 to 60: a thread then gets a twentieth to a thirtieth of a core, so a chain of watch,
     * reconcile and write that takes half a second on a quiet machine can take 15 s. Waiting
     * longer costs nothing while tests pass; only a real failure takes this long to report.
     */
    public static final Duration GENEROUS = Duration.ofSeconds(60);

    /** {@link #until} with the {@link #GENEROUS} timeout. */
    public static void until(String what, Supplier<Boolean> condition) {
        until(GENEROUS, what, condition);
    }

    /**
     * Retries {@code assertion} until it passes, rethrowing its last failure after the
     * {@link #GENEROUS} timeout: for what is written asynchronously, as the kubelet's events.
     */
    public static void untilAsserted(Runnable assertion) {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
