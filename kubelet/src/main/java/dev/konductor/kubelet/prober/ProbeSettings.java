package dev.konductor.kubelet.prober;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;

/**
 * A probe's timing with upstream's defaults for what the spec leaves out: no initial delay,
 * every 10 s, a 1 s timeout, one success and three failures to change the verdict. Liveness and
 * startup probes always need just one success (the API rejects anything else; we do not trust it).
 */
public record ProbeSettings(Duration initialDelay, Duration period, Duration timeout, int successThreshold,
                            int failureThreshold) {

    public ProbeSettings {
        if (successThreshold < 1 || failureThreshold < 1) {
            throw new IllegalArgumentException("thresholds must be at least 1: " + successThreshold + ", " + failureThreshold);
        }
    }

    public static ProbeSettings of(ProbeType type, Probe probe) {
        int success = type == ProbeType.READINESS ? positive(probe.getSuccessThreshold(), 1) : 1;
        return new ProbeSettings(
                Duration.ofSeconds(Math.max(0, orDefault(probe.getInitialDelaySeconds(), 0))),
                Duration.ofSeconds(positive(probe.getPeriodSeconds(), 10)),
                Duration.ofSeconds(positive(probe.getTimeoutSeconds(), 1)),
                success,
                positive(probe.getFailureThreshold(), 3));
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static int positive(Integer value, int fallback) {
        return value == null || value < 1 ? fallback : value;
    }
}
