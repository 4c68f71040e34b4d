package dev.konductor.controllers.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The real time plus an offset tests move by hand, so deadlines and TTLs pass without waiting. */
final class TestClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    void advance(Duration d) {
        offset = offset.plus(d);
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
