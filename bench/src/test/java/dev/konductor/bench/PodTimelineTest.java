package dev.konductor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PodTimelineTest {

    private static final long MS = 1_000_000;

    @Test
    void podsPerSecondRunFromTheFirstCreateToTheLastBinding() throws Exception {
        PodTimeline timeline = new PodTimeline("p-", 3);
        for (int i = 0; i < 3; i++) {
            timeline.sent(i, i * 100 * MS);
            timeline.observed(new PodEvent("MODIFIED", "p-" + i, "n", "Pending"), (i * 100 + 400) * MS);
            timeline.observed(new PodEvent("MODIFIED", "p-" + i, "n", "Running"), (i * 100 + 900) * MS);
        }

        PodTimeline.Summary summary = timeline.summary();

        // 3 pods bound between 0 and 600 ms
        assertThat(summary.podsPerSecond()).isCloseTo(5.0, within(0.001));
        assertThat(summary.bindP99Millis()).isCloseTo(400.0, within(0.001));
        assertThat(summary.startupP50Millis()).isCloseTo(900.0, within(0.001));
        assertThat(timeline.awaitAllRunning(1, TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void onlyTheFirstSightingCountsAndOtherPodsAreIgnored() {
        PodTimeline timeline = new PodTimeline("p-", 1);
        timeline.sent(0, 0);
        timeline.observed(new PodEvent("MODIFIED", "p-0", "n", "Running"), 200 * MS);
        timeline.observed(new PodEvent("MODIFIED", "p-0", "n", "Running"), 900 * MS);
        timeline.observed(new PodEvent("ADDED", "q-0", "n", "Running"), 50 * MS);
        timeline.observed(new PodEvent("ADDED", "p-7", "n", "Running"), 50 * MS);

        assertThat(timeline.summary().startupP99Millis()).isCloseTo(200.0, within(0.001));
        assertThat(timeline.runningCount()).isEqualTo(1);
    }

    @Test
    void podsThatNeverRanAreCountedAsMissing() {
        PodTimeline timeline = new PodTimeline("p-", 2);
        timeline.sent(0, 0);
        timeline.sent(1, 0);
        timeline.observed(new PodEvent("MODIFIED", "p-0", "n", ""), 100 * MS);

        PodTimeline.Summary summary = timeline.summary();

        assertThat(summary.bound()).isEqualTo(1);
        assertThat(summary.running()).isZero();
    }

    @Test
    void latenciesBetweenTwoStagesCountThePodsThatPassedBoth() {
        PodTimeline timeline = new PodTimeline("p-", 2);
        timeline.sent(0, 0);
        timeline.sent(1, 0);
        timeline.observed(new PodEvent("MODIFIED", "p-0", "n", "Pending"), 300 * MS);
        timeline.observed(new PodEvent("MODIFIED", "p-0", "n", "Running"), 1000 * MS);
        timeline.observed(new PodEvent("MODIFIED", "p-1", "n", "Pending"), 500 * MS);

        assertThat(timeline.latencies(PodTimeline.Stage.SENT, PodTimeline.Stage.BOUND).count()).isEqualTo(2);
        assertThat(timeline.latencies(PodTimeline.Stage.BOUND, PodTimeline.Stage.RUNNING).percentileMillis(50))
                .isCloseTo(700.0, within(0.001));
        assertThat(timeline.latencies(PodTimeline.Stage.SENT, PodTimeline.Stage.RUNNING).count()).isEqualTo(1);
    }
}
