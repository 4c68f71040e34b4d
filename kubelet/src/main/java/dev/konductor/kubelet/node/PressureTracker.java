package dev.konductor.kubelet.node;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which pressures the node reports, as upstream's eviction manager decides it: a pressure shows
 * as soon as a reading crosses its threshold, and stays until no reading has crossed it for the
 * transition period (upstream's {@code --eviction-pressure-transition-period}, 5 minutes), so a
 * node hovering around a threshold does not flap between schedulable and not. Not thread-safe:
 * one caller (the node agent's loop).
 */
final class PressureTracker {

    static final Duration TRANSITION_PERIOD = Duration.ofMinutes(5);

    private final Duration transitionPeriod;
    private final Map<Pressure, Instant> lastCrossed = new EnumMap<>(Pressure.class);

    PressureTracker(Duration transitionPeriod) {
        if (transitionPeriod.isNegative()) {
            throw new IllegalArgumentException("transition period must not be negative: " + transitionPeriod);
        }
        this.transitionPeriod = transitionPeriod;
    }

    /** Records the pressures crossed at {@code now}; returns those the node reports. */
    Set<Pressure> observe(Set<Pressure> crossed, Instant now) {
        for (Pressure p : crossed) {
            lastCrossed.put(p, now);
        }
        Set<Pressure> reported = EnumSet.noneOf(Pressure.class);
        lastCrossed.forEach((p, at) -> {
            if (Duration.between(at, now).compareTo(transitionPeriod) < 0) {
                reported.add(p);
            }
        });
        return reported;
    }
}
