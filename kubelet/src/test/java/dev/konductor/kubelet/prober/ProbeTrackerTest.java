package dev.konductor.kubelet.prober;

import static dev.konductor.kubelet.prober.ProbeType.Outcome.FAILURE;
import static dev.konductor.kubelet.prober.ProbeType.Outcome.SUCCESS;
import static dev.konductor.kubelet.prober.ProbeType.Outcome.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.prober.ProbeType.Outcome;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeTrackerTest {

    private static ProbeTracker tracker(ProbeType type, int success, int failure) {
        return ProbeTracker.start(type, new ProbeSettings(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), success, failure));
    }

    private static ProbeTracker feed(ProbeTracker tracker, Outcome... outcomes) {
        for (Outcome o : outcomes) {
            tracker = tracker.observe(o);
        }
        return tracker;
    }

    @Test
    void eachTypeStartsFromUpstreamsInitialVerdict() {
        assertThat(tracker(ProbeType.READINESS, 1, 3).published()).isEqualTo(FAILURE);
        assertThat(tracker(ProbeType.LIVENESS, 1, 3).published()).isEqualTo(SUCCESS);
        assertThat(tracker(ProbeType.STARTUP, 1, 3).published()).isEqualTo(UNKNOWN);
    }

    @Test
    void livenessFailsOnlyAfterFailureThresholdFailuresInARowThenHolds() {
        ProbeTracker t = tracker(ProbeType.LIVENESS, 1, 3);
        t = feed(t, FAILURE, FAILURE, SUCCESS, FAILURE, FAILURE);
        assertThat(t.published()).isEqualTo(SUCCESS);
        t = t.observe(FAILURE);
        assertThat(t.published()).isEqualTo(FAILURE);
        assertThat(t.onHold()).isTrue();
        assertThat(t.observe(SUCCESS).published()).as("on hold until a new container").isEqualTo(FAILURE);
    }

    @Test
    void readinessNeedsSuccessThresholdSuccessesAndNeverHolds() {
        ProbeTracker t = tracker(ProbeType.READINESS, 2, 1);
        t = t.observe(SUCCESS);
        assertThat(t.published()).isEqualTo(FAILURE);
        t = t.observe(SUCCESS);
        assertThat(t.published()).isEqualTo(SUCCESS);
        t = t.observe(FAILURE);
        assertThat(t.published()).isEqualTo(FAILURE);
        assertThat(t.onHold()).isFalse();
        assertThat(feed(t, SUCCESS, SUCCESS).published()).isEqualTo(SUCCESS);
    }

    @Test
    void startupPassesOnFirstSuccessAndFailsAfterThreshold() {
        assertThat(tracker(ProbeType.STARTUP, 1, 2).observe(SUCCESS).published()).isEqualTo(SUCCESS);
        ProbeTracker failing = feed(tracker(ProbeType.STARTUP, 1, 2), FAILURE);
        assertThat(failing.published()).isEqualTo(UNKNOWN);
        assertThat(failing.observe(FAILURE).published()).isEqualTo(FAILURE);
        assertThat(failing.observe(FAILURE).onHold()).isTrue();
    }

    @Test
    void settingsTakeUpstreamsDefaults() {
        ProbeSettings s = ProbeSettings.of(ProbeType.READINESS, new ProbeBuilder().build());
        assertThat(s).isEqualTo(new ProbeSettings(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(1), 1, 3));
        ProbeSettings liveness = ProbeSettings.of(ProbeType.LIVENESS, new ProbeBuilder().withSuccessThreshold(5)
                .withPeriodSeconds(2).withInitialDelaySeconds(7).build());
        assertThat(liveness.successThreshold()).as("liveness needs one success").isEqualTo(1);
        assertThat(liveness.period()).isEqualTo(Duration.ofSeconds(2));
        assertThat(tracker(ProbeType.LIVENESS, 1, 3).tooEarly(Duration.ofSeconds(1))).isFalse();
        assertThat(ProbeTracker.start(ProbeType.LIVENESS, liveness).tooEarly(Duration.ofSeconds(6))).isTrue();
    }
}
