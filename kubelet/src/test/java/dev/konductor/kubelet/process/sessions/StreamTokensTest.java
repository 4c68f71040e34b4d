package dev.konductor.kubelet.process.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StreamTokensTest {

    private static final Session SESSION = new Session.PortForward(port -> {
        throw new java.io.IOException("not dialed in this test");
    });

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aSessionUrlIsGoodOnce() {
        StreamTokens tokens = new StreamTokens(new MovingClock());
        String token = tokens.put(SESSION);

        assertThat(token).hasSize(32).isNotEqualTo(tokens.put(SESSION));
        assertThat(tokens.take(token)).contains(SESSION);
        assertThat(tokens.take(token)).isEmpty();
        assertThat(tokens.take("made-up")).isEmpty();
    }

    @Test
    void anUnusedSessionLapsesAfterAMinute() {
        MovingClock clock = new MovingClock();
        StreamTokens tokens = new StreamTokens(clock);
        String early = tokens.put(SESSION);
        String late = tokens.put(SESSION);

        clock.now = clock.now.plus(StreamTokens.TTL);

        assertThat(tokens.take(early)).isEmpty();
        assertThat(tokens.take(late)).isEmpty();
    }
}
