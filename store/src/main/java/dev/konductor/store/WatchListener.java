package dev.konductor.store;

import java.util.List;

/** Receives a watch's events; callbacks for one watch never run concurrently. */
public interface WatchListener {

    /** A batch of events in strictly increasing revision order. */
    void onEvents(List<WatchEvent> events);

    /** The watch ended because it fell behind compaction or the store failed; no more events. */
    void onError(StorageException error);
}
