package dev.konductor.controllers.replicaset;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Upstream's slow-start batches: run {@code count} calls in batches of 1, 2, 4, ... (each batch
 * concurrently) and stop after the first batch with a failure. A request that fails for all
 * pods (quota, admission) then costs one call instead of hundreds.
 */
final class SlowStart {

    /** How many calls succeeded, and the first failure (null when none). */
    record Outcome(int successes, Exception firstError) {
    }

    private SlowStart() {
    }

    static Outcome run(int count, int initialBatch, Callable<?> call) throws InterruptedException {
        int successes = 0;
        int remaining = count;
        int batch = Math.min(remaining, initialBatch);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            while (batch > 0) {
                List<Future<?>> futures = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    futures.add(executor.submit(call));
                }
                Exception firstError = null;
                for (Future<?> future : futures) {
                    try {
                        future.get();
                        successes++;
                    } catch (ExecutionException e) {
                        if (firstError == null) {
                            firstError = e.getCause() instanceof Exception cause ? cause : e;
                        }
                    }
                }
                if (firstError != null) {
                    return new Outcome(successes, firstError);
                }
                remaining -= batch;
                batch = Math.min(2 * batch, remaining);
            }
        }
        return new Outcome(successes, null);
    }
}
