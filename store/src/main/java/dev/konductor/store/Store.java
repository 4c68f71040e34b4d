package dev.konductor.store;

/**
 * A key-value store with etcd's semantics, the only persistence the API server uses.
 *
 * <ul>
 *   <li>Every successful write (create, update, delete) increments one cluster-wide
 *       <em>revision</em> by exactly one; the written key's {@code modRevision} is that revision.
 *   <li>Writes are compare-and-swap: {@link #create} succeeds only when the key does not exist,
 *       {@link #update} and {@link #delete} only when the key's current {@code modRevision}
 *       equals the expected one (or, for delete, when the expected one is 0 and the key exists).
 *       A lost race is a {@link WriteResult.Conflict}, not an exception.
 *   <li>A write is acknowledged (the method returns) only once it is durable.
 *   <li>{@link #range} reads the newest value of every key under a prefix as of a revision, in
 *       key order, with a limit and a start key for paging.
 *   <li>{@link #watch} delivers every change under a prefix after a revision, strictly in revision
 *       order, each revision exactly once, until cancelled.
 *   <li>{@link #compact} forgets history before a revision; reads or watches from before it fail
 *       with {@link CompactedException}.
 * </ul>
 *
 * Implementations are thread-safe.
 */
public interface Store extends AutoCloseable {

    /** The revision of the newest write (0 for an empty store). */
    long currentRevision();

    /** The revision below which history has been compacted away (0 if never compacted). */
    long compactedRevision();

    /** The newest value of {@code key}, or {@code null} if it does not exist. */
    KeyValue get(String key);

    /**
     * Keys starting with {@code prefix}, at or after {@code startKey} (inclusive; {@code null}
     * means from the beginning of the prefix), as they were at {@code revision} (0 means now),
     * at most {@code limit} of them (0 means no limit), in ascending key order.
     *
     * @throws CompactedException if {@code revision} is non-zero and below {@link #compactedRevision()}
     * @throws FutureRevisionException if {@code revision} is above {@link #currentRevision()}
     */
    RangeResult range(String prefix, String startKey, long revision, int limit);

    /** Number of keys under {@code prefix} now. */
    long count(String prefix);

    /** Creates {@code key}; {@link WriteResult.Conflict} (with the existing value) if it exists. */
    WriteResult create(String key, byte[] value);

    /**
     * Replaces {@code key}'s value if its current modRevision is {@code expectedModRevision};
     * otherwise {@link WriteResult.Conflict} carrying the current value, or {@code null} if the
     * key does not exist.
     */
    WriteResult update(String key, byte[] value, long expectedModRevision);

    /**
     * Deletes {@code key} if its current modRevision is {@code expectedModRevision} (0: any).
     * On success the returned {@link KeyValue} holds the deleted value with
     * {@code modRevision} set to the revision of the deletion. A missing key is a
     * {@link WriteResult.Conflict} with a {@code null} current value.
     */
    WriteResult delete(String key, long expectedModRevision);

    /**
     * Watches every key under {@code prefix} for changes with a revision greater than
     * {@code afterRevision}. Events are delivered to {@code listener} on a thread owned by the
     * store, strictly in revision order; history already in the store is replayed first.
     *
     * @throws CompactedException if {@code afterRevision + 1} has been compacted (a compaction
     *     racing with the watch's start is reported through {@link WatchListener#onError} instead)
     */
    Watch watch(String prefix, long afterRevision, WatchListener listener);

    /**
     * Discards history older than {@code revision}; the newest value of every live key is kept,
     * and reads at {@code revision} itself still work. Compacting to a revision at or below
     * {@link #compactedRevision()} changes nothing.
     *
     * @throws FutureRevisionException if {@code revision} is above {@link #currentRevision()}
     */
    void compact(long revision);

    /**
     * Whether other API servers may serve from this store at the same time (an etcd cluster),
     * so that what one server keeps only in its memory the others would not see. An embedded
     * store belongs to one server.
     */
    default boolean sharedBetweenServers() {
        return false;
    }

    @Override
    void close();
}
