package dev.konductor.kubelet.process.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.ManualClock;
import org.junit.jupiter.api.Test;

class StreamTokensTest {

    private static final Session SESSION = new Session.PortForward(port -> {
        throw new java.io.IOException("not dialed in this test");
    });


    @Test
    void aSessionUrlIsGoodOnce() {
        StreamTokens tokens = new StreamTokens(new ManualClock());
        String token = tokens.put(SESSION);

        assertThat(token).hasSize(32).isNotEqualTo(tokens.put(SESSION));
        assertThat(tokens.take(token)).contains(SESSION);
        assertThat(tokens.take(token)).isEmpty();
        assertThat(tokens.take("made-up")).isEmpty();
    }

    @Test
    void anUnusedSessionLapsesAfterAMinute() {
        ManualClock clock = new ManualClock();
        StreamTokens tokens = new StreamTokens(clock);
        String early = tokens.put(SESSION);
        String late = tokens.put(SESSION);

        clock.advance(StreamTokens.TTL);

        assertThat(tokens.take(early)).isEmpty();
        assertThat(tokens.take(late)).isEmpty();
    }
}
