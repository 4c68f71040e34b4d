package dev.konductor.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.Await;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescingSyncTest {

    @Test
    void aBurstOfRequestsLeadsToFewSyncsAndTheLastRequestIsNeverLost() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger seen = new AtomicInteger();
        AtomicInteger requestsMade = new AtomicInteger();
        try (CoalescingSync sync = new CoalescingSync("test", Duration.ofMillis(100), Duration.ofMillis(50),
                Duration.ofMinutes(5), () -> {
                    runs.incrementAndGet();
                    seen.set(requestsMade.get());
                })) {
            sync.start();
            for (int i = 1; i <= 200; i++) {
                requestsMade.set(i);
                sync.request();
            }
            Await.until("a sync after the last request", () -> seen.get() == 200);
            assertThat(runs.get()).isBetween(1, 3);
        }
    }

    @Test
    void syncsAreAtLeastTheMinimumIntervalApart() throws Exception {
        java.util.List<Long> starts = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (CoalescingSync sync = new CoalescingSync("test", Duration.ofMillis(100), Duration.ofMillis(50),
                Duration.ofMinutes(5), () -> starts.add(System.nanoTime()))) {
            sync.start();
            long until = System.nanoTime() + Duration.ofMillis(450).toNanos();
            while (System.nanoTime() < until) {
                sync.request();
                Thread.sleep(5);
            }
            Await.until("a few syncs", () -> starts.size() >= 3);
            for (int i = 1; i < starts.size(); i++) {
                assertThat(starts.get(i) - starts.get(i - 1)).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
            }
        }
    }

    @Test
    void aFailedSyncIsRetried() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (CoalescingSync sync = new CoalescingSync("test", Duration.ofMillis(10), Duration.ofMillis(20),
                Duration.ofMinutes(5), () -> {
                    if (attempts.incrementAndGet() < 3) {
                        throw new IllegalStateException("kernel busy");
                    }
                })) {
            sync.start();
            sync.request();
            Await.until("a successful retry", () -> sync.completed() == 1);
            assertThat(attempts.get()).isEqualTo(3);
        }
    }
}
