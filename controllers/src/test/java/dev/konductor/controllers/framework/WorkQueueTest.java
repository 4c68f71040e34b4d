package dev.konductor.controllers.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    @Test
    void aKeyIsQueuedOnceHoweverOftenItIsAdded() throws Exception {
        WorkQueue queue = new WorkQueue("t");
        queue.add("a");
        queue.add("a");
        queue.add("b");
        assertThat(queue.length()).isEqualTo(2);
        assertThat(queue.take()).contains("a");
        assertThat(queue.take()).contains("b");
        queue.shutDown();
    }

    @Test
    void aKeyAddedWhileProcessingIsQueuedAgainWhenDone() throws Exception {
        WorkQueue queue = new WorkQueue("t");
        queue.add("a");
        String key = queue.take().orElseThrow();
        queue.add("a");
        assertThat(queue.length()).isZero(); // not handed to a second worker meanwhile
        queue.done(key);
        assertThat(queue.length()).isEqualTo(1);
        queue.shutDown();
    }

    @Test
    void backoffDoublesFromFiveMillisecondsAndIsCapped() {
        assertThat(WorkQueue.backoff(1)).isEqualTo(Duration.ofMillis(5));
        assertThat(WorkQueue.backoff(2)).isEqualTo(Duration.ofMillis(10));
        assertThat(WorkQueue.backoff(4)).isEqualTo(Duration.ofMillis(40));
        assertThat(WorkQueue.backoff(100)).isEqualTo(WorkQueue.MAX_DELAY);
    }

    @Test
    void delayedKeysArriveLater() throws Exception {
        WorkQueue queue = new WorkQueue("t");
        queue.addAfter("later", Duration.ofMillis(50));
        assertThat(queue.length()).isZero();
        assertThat(queue.take()).contains("later");
        queue.shutDown();
    }

    @Test
    void shutDownReleasesWaitingWorkers() throws Exception {
        WorkQueue queue = new WorkQueue("t");
        Thread worker = Thread.ofVirtual().start(() -> {
            try {
                assertThat(queue.take()).isEmpty();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        queue.shutDown();
        assertThat(worker.join(Duration.ofSeconds(5))).isTrue();
    }
}
