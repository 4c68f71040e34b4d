package dev.konductor.kubelet.prober;

import dev.konductor.kubelet.prober.ProbeType.Outcome;

/**
 * The verdict of one probe of one container instance, as upstream's prober worker keeps it: the
 * published outcome changes only after {@code successThreshold} successes or
 * {@code failureThreshold} failures in a row. A liveness or startup probe that published a
 * failure is put on hold (its container is about to be restarted) until a new container
 * instance shows up, which starts over from the type's initial outcome. Pure and immutable.
 *
 * @param published what the kubelet acts on (readiness, restart, started)
 * @param last      the outcome of the latest attempt
 * @param run       how many attempts in a row had {@code last}
 */
public record ProbeTracker(ProbeType type, ProbeSettings settings, Outcome published, Outcome last, int run,
                           boolean onHold) {

    public static ProbeTracker start(ProbeType type, ProbeSettings settings) {
        return new ProbeTracker(type, settings, type.initialOutcome(), Outcome.UNKNOWN, 0, false);
    }

    /** The state after an attempt whose outcome was {@code outcome}. */
    public ProbeTracker observe(Outcome outcome) {
        if (onHold) {
            return this;
        }
        int newRun = outcome == last ? run + 1 : 1;
        boolean below = outcome == Outcome.FAILURE ? newRun < settings.failureThreshold()
                : outcome == Outcome.SUCCESS && newRun < settings.successThreshold();
        if (below || outcome == Outcome.UNKNOWN) {
            return new ProbeTracker(type, settings, published, outcome, newRun, false);
        }
        if (outcome == Outcome.FAILURE && type != ProbeType.READINESS) {
            return new ProbeTracker(type, settings, outcome, outcome, 0, true);
        }
        return new ProbeTracker(type, settings, outcome, outcome, newRun, false);
    }

    /** A running container's probe is ignored while it is this young (initialDelaySeconds). */
    public boolean tooEarly(java.time.Duration sinceStarted) {
        return sinceStarted.compareTo(settings.initialDelay()) < 0;
    }
}
