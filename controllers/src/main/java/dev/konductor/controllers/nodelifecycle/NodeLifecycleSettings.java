package dev.konductor.controllers.nodelifecycle;

import java.time.Duration;

/**
 * The node lifecycle controller's own tunables, with upstream's defaults (the grace and monitor
 * periods come from the manager's ControllerSettings).
 *
 * @param evictionRate           NoExecute taints per second per healthy zone (--node-eviction-rate 0.1)
 * @param secondaryEvictionRate  the rate in a partly disrupted large zone (--secondary-node-eviction-rate 0.01)
 * @param largeClusterThreshold  zones of at most this many nodes stop tainting when partly disrupted (50)
 * @param unhealthyZoneThreshold share of not-ready nodes (at least 3) that makes a zone partly disrupted (0.55)
 * @param startupGracePeriod     grace for a node that never posted status; null for 1.5 × the monitor
 *                               grace period (upstream: 60 s against 40 s)
 */
public record NodeLifecycleSettings(double evictionRate, double secondaryEvictionRate, int largeClusterThreshold,
                                    double unhealthyZoneThreshold, Duration startupGracePeriod) {

    public static NodeLifecycleSettings defaults() {
        return new NodeLifecycleSettings(0.1, 0.01, 50, 0.55, null);
    }

    Duration startupGrace(Duration nodeMonitorGracePeriod) {
        return startupGracePeriod != null ? startupGracePeriod
                : nodeMonitorGracePeriod.multipliedBy(3).dividedBy(2);
    }
}
