package dev.konductor.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundQueueTest {

    @Test
    void stopsReadingAboveTheHighMarkAndResumesBelowTheLowOne() throws InterruptedException {
        List<Boolean> reading = new ArrayList<>();
        InboundQueue queue = new InboundQueue(reading::add, 10, 4);

        queue.offer(new byte[6]);
        queue.offer(new byte[6]);
        assertThat(reading).containsExactly(false);
        queue.offer(new byte[6]);
        assertThat(reading).as("told once").containsExactly(false);

        queue.take();
        queue.take();
        assertThat(reading).as("6 bytes still wait").containsExactly(false);
        queue.take();
        assertThat(reading).containsExactly(false, true);
    }

    @Test
    void theReaderGetsWhatWasQueuedThenTheEnd() throws InterruptedException {
        InboundQueue queue = new InboundQueue(on -> { });
        queue.offer(new byte[] {1});
        queue.end();
        queue.offer(new byte[] {2});

        assertThat(queue.take()).containsExactly(1);
        assertThat(queue.take()).isNull();
        assertThat(queue.take()).isNull();
    }

    @Test
    void aReaderWaitingForDataWakesUpAtTheEnd() throws Exception {
        InboundQueue queue = new InboundQueue(on -> { });
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                assertThat(queue.take()).isNull();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        queue.discard();
        reader.join(10_000);
        assertThat(reader.isAlive()).isFalse();
    }
}
