package dev.konductor.kubelet.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A cumulative CPU counter (core-nanoseconds, as cgroups and /proc/stat count) read at an
 * instant. Two of them give a rate: cores in use on average between them, as metrics-server
 * derives usage from the kubelet's cumulative figures.
 */
public record CpuSample(long usageNanos, Instant at) {

    /**
     * Cores used on average from {@code earlier} to this sample; empty when there is no rate to
     * give: no time passed, or the counter went back (the container was replaced, the machine
     * rebooted).
     */
    public Optional<BigDecimal> coresSince(CpuSample earlier) {
        long elapsed = Duration.between(earlier.at, at).toNanos();
        long used = usageNanos - earlier.usageNanos;
        if (elapsed <= 0 || used < 0) {
            return Optional.empty();
        }
        return Optional.of(BigDecimal.valueOf(used).divide(BigDecimal.valueOf(elapsed), 9, RoundingMode.HALF_UP));
    }
}
