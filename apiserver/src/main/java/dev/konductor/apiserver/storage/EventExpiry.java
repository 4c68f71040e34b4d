package dev.konductor.apiserver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.apiserver.watchcache.CachedObject;
import dev.konductor.apiserver.watchcache.WatchCache;
import dev.konductor.apiserver.watchcache.WatchFilter;
import dev.konductor.store.Store;
import dev.konductor.store.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events live a while after their last write (an hour by default), as upstream's API server keeps
 * them (its {@code --event-ttl}, which it implements with etcd leases): without it every
 * Scheduled, Pulled or BackOff event of a cluster that runs for days stays in the store and in the
 * watch cache.
 *
 * <p>Once a minute (upstream's lease manager groups events into leases of about that
 * granularity) every event last written more than the TTL ago is deleted from the store, with a
 * compare-and-swap on the revision it was read at, so one written again meanwhile stays. Like a
 * lease's expiry, the deletion bypasses admission and shows in watches as DELETED. When it was
 * last written is read from the event itself: the latest of its creation, first and last
 * timestamps, event time, series' last observation and managed-fields times. API servers
 * sharing one store may sweep at once: the loser's deletes conflict and change nothing.
 */
public final class EventExpiry implements AutoCloseable {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    static final String PREFIX = "/registry/events/";

    private static final Logger log = LoggerFactory.getLogger(EventExpiry.class);

    private final WatchCache cache;
    private final Store store;
    private final Duration ttl;
    private final Clock clock;
    private final StoreTicker ticker;

    public EventExpiry(WatchCache cache, Store store, Duration ttl, Duration interval, Clock clock) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.store = Objects.requireNonNull(store, "store");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("event TTL must be positive: " + ttl);
        }
        this.ttl = ttl;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = new StoreTicker("event-expiry", interval, this::sweep);
    }

    /** Sweeps every interval on a virtual thread until closed. */
    public void start() {
        ticker.start();
    }

    /** Deletes the events whose TTL has run out; returns how many it deleted. */
    synchronized int sweep() {
        Instant cutoff = clock.instant().minus(ttl);
        int deleted = 0;
        for (CachedObject event : cache.resource(PREFIX).list(WatchFilter.ALL)) {
            Optional<Instant> written = lastWritten(event.object());
            if (written.isEmpty() || !written.get().isBefore(cutoff)) {
                continue;
            }
            if (store.delete(event.key(), event.modRevision()) instanceof WriteResult.Written) {
                deleted++;
            }
        }
        if (deleted > 0) {
            log.info("deleted expired events count={} ttl={}", deleted, ttl);
        }
        return deleted;
    }

    /** The latest time the event says it was written at; empty when it carries none that parses. */
    static Optional<Instant> lastWritten(JsonNode event) {
        Instant latest = null;
        JsonNode metadata = event.path("metadata");
        JsonNode[] stamps = {metadata.path("creationTimestamp"), event.path("firstTimestamp"),
            event.path("lastTimestamp"), event.path("eventTime"), event.path("series").path("lastObservedTime")};
        for (JsonNode stamp : stamps) {
            latest = later(latest, stamp);
        }
        for (JsonNode entry : metadata.path("managedFields")) {
            latest = later(latest, entry.path("time"));
        }
        return Optional.ofNullable(latest);
    }

    private static Instant later(Instant latest, JsonNode stamp) {
        if (!stamp.isTextual() || stamp.asText().isEmpty()) {
            return latest;
        }
        try {
            Instant t = OffsetDateTime.parse(stamp.asText()).toInstant();
            return latest == null || t.isAfter(latest) ? t : latest;
        } catch (DateTimeParseException e) {
            return latest;
        }
    }

    @Override
    public void close() {
        ticker.close();
    }
}
