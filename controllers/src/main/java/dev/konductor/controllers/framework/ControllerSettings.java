package dev.konductor.controllers.framework;

import java.time.Duration;

/**
 * The controller manager's tunables, with upstream's defaults.
 *
 * @param nodeMonitorGracePeriod  how long a node may go without a heartbeat before it is
 *                                marked Ready=Unknown (upstream: 40 s)
 * @param nodeMonitorPeriod       how often node health is checked (upstream: 5 s)
 * @param workers                 worker threads per controller (upstream's concurrent syncs: 5)
 */
public record ControllerSettings(Duration nodeMonitorGracePeriod, Duration nodeMonitorPeriod, int workers) {

    public static ControllerSettings defaults() {
        return new ControllerSettings(Duration.ofSeconds(40), Duration.ofSeconds(5), 5);
    }
}
