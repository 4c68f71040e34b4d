package dev.konductor.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlowStartTest {

    @Test
    void runsEverythingWhenNothingFails() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SlowStart.Outcome outcome = SlowStart.run(10, 1, calls::incrementAndGet);
        assertThat(outcome.successes()).isEqualTo(10);
        assertThat(outcome.firstError()).isNull();
        assertThat(calls).hasValue(10);
    }

    @Test
    void stopsAfterTheFirstBatchWithAFailure() throws Exception {
        // batches 1, 2, 4: the 4th call (first of the third batch) fails, that batch still completes
        AtomicInteger calls = new AtomicInteger();
        SlowStart.Outcome outcome = SlowStart.run(20, 1, () -> {
            if (calls.incrementAndGet() == 4) {
                throw new IllegalStateException("quota exceeded");
            }
            return null;
        });
        assertThat(calls).hasValue(7);
        assertThat(outcome.successes()).isEqualTo(6);
        assertThat(outcome.firstError()).hasMessage("quota exceeded");
    }

    @Test
    void aFailingFirstCallCostsOneCall() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SlowStart.Outcome outcome = SlowStart.run(500, 1, () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("forbidden");
        });
        assertThat(calls).hasValue(1);
        assertThat(outcome.successes()).isZero();
    }
}
