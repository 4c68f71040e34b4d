package dev.konductor.controllers.framework;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand, so deadlines and TTLs pass without waiting. By default it runs
 * with the real time plus the offset; {@link #stopped()} makes one that stands still between
 * moves, for tests whose verdicts hinge on how much time passed (a loaded machine cannot then
 * let a deadline run out behind the test's back).
 */
public final class TestClock extends Clock {

    private final Instant stoppedAt;
    private volatile Duration offset = Duration.ZERO;

    public TestClock() {
        this(null);
    }

    private TestClock(Instant stoppedAt) {
        this.stoppedAt = stoppedAt;
    }

    /** A clock that reads the current time and then only moves when the test moves it. */
    public static TestClock stopped() {
        return new TestClock(Instant.now());
    }

    public void advance(Duration d) {
        offset = offset.plus(d);
    }

    /** Back to the real time (or, when stopped, to the time it stopped at). */
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
        return (stoppedAt == null ? Instant.now() : stoppedAt).plus(offset);
    }
}
