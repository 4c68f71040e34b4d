package dev.konductor.server.supervisor;

import java.time.Duration;

/**
 * How long to wait before starting again a child process that exited, as systemd's
 * {@code Restart=always} with a growing delay: {@code initial} after an exit that follows a good
 * long run (at least {@code resetAfter}), then doubling with every exit or failed start that
 * follows too soon, up to {@code max}. Not thread-safe: one restarting thread at a time.
 */
public final class RestartDelays {

    private final Duration initial;
    private final Duration max;
    private final Duration resetAfter;
    private Duration current;

    public RestartDelays(Duration initial, Duration max, Duration resetAfter) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
        this.resetAfter = resetAfter;
    }

    /** The process exited after running for {@code ranFor}: the delay before starting it again. */
    public Duration afterExit(Duration ranFor) {
        current = current == null || ranFor.compareTo(resetAfter) >= 0 ? initial : doubled(current);
        return current;
    }

    /** Starting it again failed: the delay before the next attempt. */
    public Duration afterFailedStart() {
        current = current == null ? initial : doubled(current);
        return current;
    }

    private Duration doubled(Duration d) {
        Duration twice = d.multipliedBy(2);
        return twice.compareTo(max) > 0 ? max : twice;
    }
}
