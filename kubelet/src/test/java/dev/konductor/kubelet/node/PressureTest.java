package dev.konductor.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.host.Filesystem;
import dev.konductor.kubelet.host.MemInfo;
import dev.konductor.kubelet.host.Pids;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PressureTest {

    private static final long MI = 1024L * 1024;
    private static final Filesystem ROOMY = new Filesystem(100 * MI, 50 * MI);

    private static NodeReadings readings(long memoryAvailable, Filesystem nodefs, Filesystem imagefs, Pids pids) {
        // MemFree is what is available here: no inactive page cache
        MemInfo memory = new MemInfo(8192 * MI, memoryAvailable, 0);
        return new NodeReadings(Optional.of(memory), Optional.of(nodefs), Optional.of(imagefs), Optional.of(pids));
    }

    @Test
    void upstreamsDefaultHardThresholdsDecideEachPressure() {
        EvictionThresholds t = EvictionThresholds.DEFAULT;
        Pids plenty = new Pids(32768, 300);
        assertThat(t.crossed(readings(101 * MI, ROOMY, ROOMY, plenty))).isEmpty();
        assertThat(t.crossed(readings(99 * MI, ROOMY, ROOMY, plenty))).containsExactly(Pressure.MEMORY);
        assertThat(t.crossed(readings(8 * 1024 * MI, new Filesystem(100 * MI, 9 * MI), ROOMY, plenty)))
                .containsExactly(Pressure.DISK);
        assertThat(t.crossed(readings(8 * 1024 * MI, ROOMY, new Filesystem(100 * MI, 14 * MI), plenty)))
                .containsExactly(Pressure.DISK);
        assertThat(t.crossed(readings(8 * 1024 * MI, ROOMY, new Filesystem(100 * MI, 16 * MI), plenty))).isEmpty();
        assertThat(t.crossed(readings(8 * 1024 * MI, ROOMY, ROOMY, new Pids(32768, 32000))))
                .containsExactly(Pressure.PID);
    }

    @Test
    void aSignalThatCannotBeReadShowsNoPressure() {
        assertThat(EvictionThresholds.DEFAULT.crossed(NodeReadings.NONE)).isEmpty();
    }

    @Test
    void pressureShowsAtOnceAndClearsOnlyAfterTheTransitionPeriod() {
        PressureTracker tracker = new PressureTracker(Duration.ofMinutes(5));
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(tracker.observe(Set.of(), t0)).isEmpty();
        assertThat(tracker.observe(Set.of(Pressure.MEMORY), t0.plusSeconds(10))).containsExactly(Pressure.MEMORY);
        assertThat(tracker.observe(Set.of(), t0.plusSeconds(20))).containsExactly(Pressure.MEMORY);
        assertThat(tracker.observe(Set.of(), t0.plusSeconds(10 + 299))).containsExactly(Pressure.MEMORY);
        assertThat(tracker.observe(Set.of(), t0.plusSeconds(10 + 300))).isEmpty();
    }

    @Test
    void crossingAgainRestartsTheTransitionPeriod() {
        PressureTracker tracker = new PressureTracker(Duration.ofMinutes(5));
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        tracker.observe(Set.of(Pressure.DISK), t0);
        tracker.observe(Set.of(Pressure.DISK), t0.plusSeconds(200));
        assertThat(tracker.observe(Set.of(), t0.plusSeconds(400))).containsExactly(Pressure.DISK);
        assertThat(tracker.observe(Set.of(), t0.plusSeconds(500))).isEmpty();
    }
}
