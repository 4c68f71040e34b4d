package dev.konductor.apiserver.storage;

import dev.konductor.store.KeyValue;
import dev.konductor.store.Store;
import dev.konductor.store.WriteResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the store's history bounded, as upstream's API server does for etcd: at every tick (five
 * minutes apart) the store is compacted to the revision it had at the previous tick, so a client
 * whose watch broke always has at least one interval to resume before it must re-list (410 Gone).
 *
 * <p>API servers sharing one store take turns through a compare-and-swap on one marker key kept
 * outside {@code /registry/}: a server compacts only if nobody moved the marker since its own
 * previous tick, so each interval sees one compaction however many servers run.
 */
public final class Compactor implements AutoCloseable {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
    static final String MARKER_KEY = "/compact_rev_key";

    private static final Logger log = LoggerFactory.getLogger(Compactor.class);
    private static final long UNKNOWN = -1;

    private final Store store;
    private final StoreTicker ticker;
    private long markerSeen = UNKNOWN; // the marker's modRevision at our previous tick
    private long revisionSeen;         // the store's revision at our previous tick

    public Compactor(Store store, Duration interval) {
        this.store = Objects.requireNonNull(store, "store");
        this.ticker = new StoreTicker("store-compactor", interval, this::tick);
    }

    /** Ticks every interval on a virtual thread until closed. */
    public void start() {
        ticker.start();
    }

    /**
     * One interval's work: compacts to the revision seen at the previous tick if this server's
     * turn holds; returns the revision compacted to, or 0 when it did not compact.
     */
    synchronized long tick() {
        KeyValue marker = store.get(MARKER_KEY);
        long markerNow = marker == null ? 0 : marker.modRevision();
        long compactedTo = 0;
        if (markerNow == markerSeen && revisionSeen > 0) {
            byte[] value = Long.toString(revisionSeen).getBytes(StandardCharsets.UTF_8);
            WriteResult claim = marker == null
                    ? store.create(MARKER_KEY, value)
                    : store.update(MARKER_KEY, value, markerNow);
            switch (claim) {
                case WriteResult.Written written -> {
                    store.compact(revisionSeen);
                    compactedTo = revisionSeen;
                    markerNow = written.kv().modRevision();
                    log.info("compacted store history revision={}", revisionSeen);
                }
                case WriteResult.Conflict conflict ->
                        markerNow = conflict.current() == null ? 0 : conflict.current().modRevision();
            }
        }
        markerSeen = markerNow;
        revisionSeen = store.currentRevision();
        return compactedTo;
    }

    @Override
    public void close() {
        ticker.close();
    }
}
