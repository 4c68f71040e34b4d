package dev.konductor.controllers.framework;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The real time plus an offset tests move by hand, so deadlines and TTLs pass without waiting. */
public final class TestClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    public void advance(Duration d) {
        offset = offset.plus(d);
    }

    /** Back to the real time. */
    public void reset() {
        offset = Duration.ZERO;
    }

    /** Moves the clock so that it reads {@code target} now. */
    public void moveTo(Instant target) {
        advance(Duration.between(instant(), target));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }
}
