package dev.konductor.kubelet.pods;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per-key exponential back-off with upstream's rules (client-go's flowcontrol.Backoff as the
 * kubelet uses it): the first failure is retried at once and sets the delay to
 * {@code initial}; each later one doubles it up to {@code max}; an entry not updated for twice
 * {@code max} starts over. For containers: 10 s doubling to 5 min, so a container that ran for
 * ten minutes without crashing is restarted at once again.
 */
public final class RestartBackoff {

    public static final Duration CONTAINER_INITIAL = Duration.ofSeconds(10);
    public static final Duration CONTAINER_MAX = Duration.ofMinutes(5);

    private record Entry(Duration delay, Instant lastUpdate) {
    }

    private final Duration initial;
    private final Duration max;
    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>(); // guarded by this

    public RestartBackoff(Duration initial, Duration max, Clock clock) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
        this.clock = clock;
    }

    public static RestartBackoff forContainers(Clock clock) {
        return new RestartBackoff(CONTAINER_INITIAL, CONTAINER_MAX, clock);
    }

    /**
     * How much longer a failure at {@code eventTime} must wait before the next attempt; empty
     * when it may go now.
     */
    public synchronized Optional<Duration> remaining(String key, Instant eventTime) {
        Entry entry = entries.get(key);
        if (entry == null || expired(eventTime, entry)) {
            return Optional.empty();
        }
        Duration waited = Duration.between(eventTime, clock.instant());
        Duration left = entry.delay().minus(waited);
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    /**
     * How much longer {@code key} must wait, counted from its last {@link #next} (upstream's
     * IsInBackOffSinceUpdate): for image pulls, where the failure is the attempt itself. Empty
     * when it may go now.
     */
    public synchronized Optional<Duration> remainingSinceUpdate(String key) {
        Entry entry = entries.get(key);
        Instant now = clock.instant();
        if (entry == null || expired(now, entry)) {
            return Optional.empty();
        }
        Duration left = entry.delay().minus(Duration.between(entry.lastUpdate(), now));
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    /** Records an attempt after a failure at {@code eventTime}: sets or doubles the delay. */
    public synchronized void next(String key, Instant eventTime) {
        Entry entry = entries.get(key);
        Duration delay = entry == null || expired(eventTime, entry) ? initial : min(entry.delay().multipliedBy(2), max);
        entries.put(key, new Entry(delay, clock.instant()));
    }

    /** The current delay of {@code key} (what the CrashLoopBackOff message names). */
    public synchronized Duration delay(String key) {
        Entry entry = entries.get(key);
        return entry == null ? initial : entry.delay();
    }

    public synchronized void reset(String key) {
        entries.remove(key);
    }

    /** Forgets entries that have expired anyway (upstream's periodic GC). */
    public synchronized void collectGarbage() {
        Instant now = clock.instant();
        entries.values().removeIf(entry -> expired(now, entry));
    }

    private boolean expired(Instant eventTime, Entry entry) {
        return Duration.between(entry.lastUpdate(), eventTime).compareTo(max.multipliedBy(2)) > 0;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
