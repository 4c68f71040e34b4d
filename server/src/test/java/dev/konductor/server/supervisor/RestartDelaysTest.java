package dev.konductor.server.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartDelaysTest {

    private final RestartDelays delays = new RestartDelays(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(10));

    @Test
    void aProcessThatKeepsDyingWaitsLongerEachTimeUpToTheMaximum() {
        assertThat(delays.afterExit(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(5));
        assertThat(delays.afterExit(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(10));
        assertThat(delays.afterFailedStart()).isEqualTo(Duration.ofSeconds(20));
        for (int i = 0; i < 10; i++) {
            delays.afterExit(Duration.ofSeconds(1));
        }
        assertThat(delays.afterExit(Duration.ofSeconds(1))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aGoodLongRunStartsOver() {
        delays.afterExit(Duration.ofSeconds(1));
        delays.afterExit(Duration.ofSeconds(1));
        assertThat(delays.afterExit(Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(5));
    }
}
