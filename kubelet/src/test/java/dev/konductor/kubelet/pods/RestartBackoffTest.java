package dev.konductor.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    private final ManualClock clock = new ManualClock();
    private final RestartBackoff backoff = RestartBackoff.forContainers(clock);

    @Test
    void firstFailureRestartsAtOnceThenTenSecondsDoublingToFiveMinutes() {
        assertThat(backoff.remaining("c", clock.instant())).isEmpty();
        backoff.next("c", clock.instant());
        assertThat(backoff.delay("c")).isEqualTo(Duration.ofSeconds(10));

        Duration[] expected = {Duration.ofSeconds(20), Duration.ofSeconds(40), Duration.ofSeconds(80),
                Duration.ofSeconds(160), Duration.ofMinutes(5), Duration.ofMinutes(5)};
        for (Duration next : expected) {
            Instant failed = clock.instant();
            Duration delay = backoff.delay("c");
            assertThat(backoff.remaining("c", failed)).hasValue(delay);
            clock.advance(delay.minusSeconds(1));
            assertThat(backoff.remaining("c", failed)).hasValue(Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            assertThat(backoff.remaining("c", failed)).isEmpty();
            backoff.next("c", failed);
            assertThat(backoff.delay("c")).isEqualTo(next);
        }
    }

    @Test
    void aContainerThatRanTenMinutesStartsOver() {
        backoff.next("c", clock.instant());
        backoff.next("c", clock.instant());
        assertThat(backoff.delay("c")).isEqualTo(Duration.ofSeconds(20));

        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        Instant failedAgain = clock.instant();
        assertThat(backoff.remaining("c", failedAgain)).isEmpty();
        backoff.next("c", failedAgain);
        assertThat(backoff.delay("c")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anImagePullWaitsFromItsLastFailedAttemptTenSecondsThenTwenty() {
        assertThat(backoff.remainingSinceUpdate("img")).isEmpty();
        backoff.next("img", clock.instant());
        assertThat(backoff.remainingSinceUpdate("img")).hasValue(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(9));
        assertThat(backoff.remainingSinceUpdate("img")).hasValue(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(backoff.remainingSinceUpdate("img")).as("the next pull may go").isEmpty();

        backoff.next("img", clock.instant());
        assertThat(backoff.remainingSinceUpdate("img")).hasValue(Duration.ofSeconds(20));
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertThat(backoff.remainingSinceUpdate("img")).as("forgotten after twice the maximum").isEmpty();
    }

    @Test
    void keysAreIndependent() {
        backoff.next("a", clock.instant());
        assertThat(backoff.remaining("a", clock.instant())).isPresent();
        assertThat(backoff.remaining("b", clock.instant())).isEmpty();
    }

    @Test
    void formatsDurationsAsGoDoes() {
        assertThat(GoDurations.format(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(GoDurations.format(Duration.ofSeconds(80))).isEqualTo("1m20s");
        assertThat(GoDurations.format(Duration.ofMinutes(5))).isEqualTo("5m0s");
        assertThat(GoDurations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(GoDurations.format(Duration.ofMillis(278))).isEqualTo("278ms");
        assertThat(GoDurations.format(Duration.ofHours(1).plusSeconds(1))).isEqualTo("1h0m1s");
        assertThat(GoDurations.format(Duration.ZERO)).isEqualTo("0s");
    }

}
