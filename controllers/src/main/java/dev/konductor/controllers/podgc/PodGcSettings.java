package dev.konductor.controllers.podgc;

import java.time.Duration;

/**
 * The pod garbage collector's tunables, with upstream's defaults.
 *
 * @param terminatedPodThreshold finished pods kept before the oldest are deleted
 *                               (--terminated-pod-gc-threshold 12500; 0 keeps them all)
 * @param period                 how often it looks (20 s)
 * @param quarantine             how long a node must stay missing before its pods go (40 s)
 */
public record PodGcSettings(int terminatedPodThreshold, Duration period, Duration quarantine) {

    public PodGcSettings {
        if (terminatedPodThreshold < 0) {
            throw new IllegalArgumentException("terminatedPodThreshold must not be negative: " + terminatedPodThreshold);
        }
    }

    public static PodGcSettings defaults() {
        return new PodGcSettings(12_500, Duration.ofSeconds(20), Duration.ofSeconds(40));
    }
}
