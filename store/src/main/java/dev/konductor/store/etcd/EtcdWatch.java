package dev.konductor.store.etcd;

import dev.konductor.store.CompactedException;
import dev.konductor.store.KeyValue;
import dev.konductor.store.StorageException;
import dev.konductor.store.Watch;
import dev.konductor.store.WatchDelivery;
import dev.konductor.store.WatchEvent;
import dev.konductor.store.WatchListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One watch on etcd, feeding a {@link WatchDelivery}.
 *
 * <p>jetcd resumes a broken watch stream by itself, but may resume past events it has not yet
 * delivered (it jumps to the creation header's revision), and it reports each transient failure
 * through the same {@code onError} as the final ones. So this class does its own resuming: on any
 * error but compaction it cancels jetcd's watcher and opens a new one right after the last
 * revision it received. After {@link #MAX_RETRIES} failures in a row the watch ends with a
 * {@link StorageException}; a compaction ends it with a {@link CompactedException}.
 */
final class EtcdWatch implements io.etcd.jetcd.Watch.Listener {

    private static final System.Logger LOG = System.getLogger(EtcdWatch.class.getName());
    private static final int MAX_RETRIES = 10;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final io.etcd.jetcd.Watch watchClient;
    private final String name;
    private final ByteSequence start;
    private final ByteSequence end;
    private final WatchDelivery delivery;
    private final Object lock = new Object();
    private long received;                         // guarded by lock
    private int failures;                          // guarded by lock
    private io.etcd.jetcd.Watch.Watcher watcher;   // guarded by lock
    private boolean cancelled;                     // guarded by lock

    EtcdWatch(io.etcd.jetcd.Watch watchClient, String name, ByteSequence start, ByteSequence end, long afterRevision,
              WatchListener listener, int maxPending) {
        this.watchClient = watchClient;
        this.name = name;
        this.start = start;
        this.end = end;
        this.received = afterRevision;
        this.delivery = WatchDelivery.create(name, afterRevision, listener, null, maxPending, closed -> cancel());
    }

    /** Opens the etcd watch and starts delivering; the result is the watch to hand out. */
    Watch start() {
        synchronized (lock) {
            open();
        }
        return delivery.start();
    }

    private void open() {
        WatchOption option = WatchOption.builder()
                .withRange(end)
                .withRevision(received + 1)
                .withPrevKV(true)
                .build();
        watcher = watchClient.watch(start, option, this);
    }

    /** Stops the etcd watch; called once the delivery is closed or has failed. */
    private void cancel() {
        io.etcd.jetcd.Watch.Watcher toClose;
        synchronized (lock) {
            cancelled = true;
            toClose = watcher;
            watcher = null;
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    @Override
    public void onNext(WatchResponse response) {
        List<WatchEvent> events = new ArrayList<>(response.getEvents().size());
        for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
            events.add(toEvent(event));
        }
        if (events.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (cancelled) {
                return;
            }
            received = Math.max(received, events.getLast().revision());
            failures = 0;
            delivery.offer(events);
        }
    }

    @Override
    public void onError(Throwable error) {
        io.etcd.jetcd.Watch.Watcher broken;
        long resumeFrom;
        synchronized (lock) {
            if (cancelled) {
                return;
            }
            if (error instanceof io.etcd.jetcd.common.exception.CompactedException compacted) {
                delivery.fail(new CompactedException(received + 1, compacted.getCompactedRevision()));
                return;
            }
            if (++failures > MAX_RETRIES) {
                delivery.fail(new StorageException("watch " + name + " failed " + MAX_RETRIES + " times in a row: "
                        + error.getMessage(), error));
                return;
            }
            broken = watcher;
            watcher = null;
            resumeFrom = received + 1;
        }
        LOG.log(Level.WARNING, "watch {0} broke ({1}); resuming from revision {2}", name, error.getMessage(), resumeFrom);
        // Closing jetcd's watcher stops its own resume; ours runs after a backoff, off jetcd's thread.
        if (broken != null) {
            broken.close();
        }
        Thread.ofVirtual().name("watch-resume " + name).start(this::resumeAfterBackoff);
    }

    private void resumeAfterBackoff() {
        try {
            Thread.sleep(backoff());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (lock) {
            if (!cancelled && watcher == null) {
                open();
            }
        }
    }

    private Duration backoff() {
        int attempt;
        synchronized (lock) {
            attempt = failures;
        }
        Duration delay = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 10));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    @Override
    public void onCompleted() {
        // jetcd calls this when its watcher closes: after our cancel, or after an error we have
        // already handled in onError. Nothing left to do.
    }

    /**
     * etcd's delete event carries only the key and the deletion's revision; the contract wants
     * the deleted value, which etcd sends as the previous key-value.
     */
    static WatchEvent toEvent(io.etcd.jetcd.watch.WatchEvent event) {
        io.etcd.jetcd.KeyValue kv = event.getKeyValue();
        io.etcd.jetcd.KeyValue prev = event.getPrevKV();
        boolean hasPrev = prev != null && !prev.getKey().isEmpty();
        KeyValue prevKv = hasPrev ? EtcdStore.toKeyValue(prev) : null;
        if (event.getEventType() == io.etcd.jetcd.watch.WatchEvent.EventType.DELETE) {
            String key = kv.getKey().toString(StandardCharsets.UTF_8);
            KeyValue last = hasPrev
                    ? new KeyValue(key, prevKv.value(), prevKv.createRevision(), kv.getModRevision())
                    : new KeyValue(key, new byte[0], 0, kv.getModRevision());
            return new WatchEvent(WatchEvent.Type.DELETE, last, prevKv);
        }
        boolean created = kv.getVersion() == 1;
        return new WatchEvent(WatchEvent.Type.PUT, EtcdStore.toKeyValue(kv), created ? null : prevKv);
    }
}
