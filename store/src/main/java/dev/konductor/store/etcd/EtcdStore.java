package dev.konductor.store.etcd;

import dev.konductor.store.CompactedException;
import dev.konductor.store.FutureRevisionException;
import dev.konductor.store.KeyRange;
import dev.konductor.store.KeyValue;
import dev.konductor.store.RangeResult;
import dev.konductor.store.StorageException;
import dev.konductor.store.Store;
import dev.konductor.store.Watch;
import dev.konductor.store.WatchListener;
import dev.konductor.store.WriteResult;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store over a real etcd v3 cluster, through jetcd. Every write is one etcd transaction whose
 * comparison is the compare-and-swap and whose else-branch reads the current value for the
 * {@link WriteResult.Conflict}, so a conflict costs no second round trip.
 */
public final class EtcdStore implements Store {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_PENDING_EVENTS = 100_000;
    /** Any key will do for reading the header's revision; this one keeps the response empty. */
    private static final ByteSequence PROBE_KEY = ByteSequence.from(new byte[] {0});

    private final Client client;
    private final KV kv;
    /** A revision known to be compacted (reads below it fail), to shorten {@link #compactedRevision()}. */
    private final AtomicLong knownCompacted = new AtomicLong();

    private EtcdStore(Client client) {
        this.client = client;
        this.kv = client.getKVClient();
    }

    /** Connects to the etcd cluster at {@code endpoints} (e.g. {@code http://127.0.0.1:2379}). */
    public static EtcdStore connect(List<URI> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one etcd endpoint is required");
        }
        EtcdStore store = new EtcdStore(Client.builder().endpoints(endpoints).connectTimeout(Duration.ofSeconds(10)).build());
        try {
            store.currentRevision();    // fail now, not at the first request, if etcd is unreachable
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    @Override
    public long currentRevision() {
        GetResponse response = await(kv.get(PROBE_KEY, GetOption.builder().withCountOnly(true).build()), 0);
        return response.getHeader().getRevision();
    }

    /**
     * etcd does not report its compacted revision, so this finds it: the oldest revision a read
     * can still use. Costs one request when nothing changed since the last call, a binary search
     * of count-only reads otherwise.
     */
    @Override
    public long compactedRevision() {
        long current = currentRevision();
        long low = Math.max(1, knownCompacted.get());
        if (readable(low)) {
            return knownCompacted.get();
        }
        long high = current;     // readable(high) holds: the current revision is never compacted
        while (high - low > 1) {
            long middle = low + (high - low) / 2;
            if (readable(middle)) {
                high = middle;
            } else {
                low = middle;
            }
        }
        knownCompacted.accumulateAndGet(high, Math::max);
        return high;
    }

    private boolean readable(long revision) {
        try {
            await(kv.get(PROBE_KEY, GetOption.builder().withCountOnly(true).withRevision(revision).build()), revision);
            return true;
        } catch (CompactedException e) {
            return false;
        } catch (FutureRevisionException e) {
            return true;
        }
    }

    @Override
    public KeyValue get(String key) {
        GetResponse response = await(kv.get(bytes(key)), 0);
        return response.getKvs().isEmpty() ? null : toKeyValue(response.getKvs().getFirst());
    }

    @Override
    public RangeResult range(String prefix, String startKey, long revision, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        KeyRange range = KeyRange.of(prefix, startKey);
        GetOption option = GetOption.builder()
                .withRange(rangeEnd(range))
                .withRevision(revision)
                .withLimit(limit)
                .withSortField(GetOption.SortTarget.KEY)
                .withSortOrder(GetOption.SortOrder.ASCEND)
                .build();
        GetResponse response = await(kv.get(rangeStart(range), option), revision);
        List<KeyValue> kvs = response.getKvs().stream().map(EtcdStore::toKeyValue).toList();
        return new RangeResult(kvs, response.isMore(), revision == 0 ? response.getHeader().getRevision() : revision);
    }

    @Override
    public long count(String prefix) {
        KeyRange range = KeyRange.of(prefix, null);
        GetOption option = GetOption.builder().withRange(rangeEnd(range)).withCountOnly(true).build();
        return await(kv.get(rangeStart(range), option), 0).getCount();
    }

    @Override
    public WriteResult create(String key, byte[] value) {
        Objects.requireNonNull(value, "value");
        ByteSequence k = bytes(key);
        TxnResponse response = await(kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit(), 0);
        if (!response.isSucceeded()) {
            return new WriteResult.Conflict(firstOrNull(response));
        }
        long revision = response.getHeader().getRevision();
        return new WriteResult.Written(new KeyValue(key, value.clone(), revision, revision));
    }

    @Override
    public WriteResult update(String key, byte[] value, long expectedModRevision) {
        Objects.requireNonNull(value, "value");
        ByteSequence k = bytes(key);
        TxnResponse response = await(kv.txn()
                // A missing key's modRevision is 0: insist that it exists, or update(k, v, 0) would create it.
                .If(new Cmp(k, Cmp.Op.GREATER, CmpTarget.version(0)),
                    new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
                .Then(Op.put(k, ByteSequence.from(value), PutOption.builder().withPrevKV().build()))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit(), 0);
        if (!response.isSucceeded()) {
            return new WriteResult.Conflict(firstOrNull(response));
        }
        long createRevision = response.getPutResponses().getFirst().getPrevKv().getCreateRevision();
        return new WriteResult.Written(new KeyValue(key, value.clone(), createRevision, response.getHeader().getRevision()));
    }

    @Override
    public WriteResult delete(String key, long expectedModRevision) {
        ByteSequence k = bytes(key);
        Cmp exists = new Cmp(k, Cmp.Op.GREATER, CmpTarget.version(0));
        Cmp[] conditions = expectedModRevision == 0
                ? new Cmp[] {exists}
                : new Cmp[] {exists, new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision))};
        TxnResponse response = await(kv.txn()
                .If(conditions)
                .Then(Op.delete(k, DeleteOption.builder().withPrevKV(true).build()))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit(), 0);
        if (!response.isSucceeded()) {
            return new WriteResult.Conflict(firstOrNull(response));
        }
        io.etcd.jetcd.KeyValue deleted = response.getDeleteResponses().getFirst().getPrevKvs().getFirst();
        return new WriteResult.Written(new KeyValue(key, deleted.getValue().getBytes(), deleted.getCreateRevision(),
                response.getHeader().getRevision()));
    }

    @Override
    public Watch watch(String prefix, long afterRevision, WatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        // etcd would report this asynchronously; the contract wants it thrown, so ask first. A
        // compaction racing with the watch's creation still arrives, later, through onError.
        if (!readable(afterRevision + 1)) {
            throw new CompactedException(afterRevision + 1, compactedRevision());
        }
        KeyRange range = KeyRange.of(prefix, null);
        return new EtcdWatch(client.getWatchClient(), prefix, rangeStart(range), rangeEnd(range), afterRevision,
                listener, MAX_PENDING_EVENTS).start();
    }

    @Override
    public void compact(long revision) {
        try {
            await(kv.compact(revision, CompactOption.builder().withCompactPhysical(true).build()), revision);
            knownCompacted.accumulateAndGet(revision, Math::max);
        } catch (CompactedException alreadyCompacted) {
            // Compacting to an already compacted revision changes nothing, as in the sqlite store.
        }
    }

    @Override
    public boolean sharedBetweenServers() {
        return true;
    }

    @Override
    public void close() {
        client.close();
    }

    /** The start of a range as etcd wants it: an empty key means "from the first key", spelled "\0". */
    static ByteSequence rangeStart(KeyRange range) {
        byte[] start = range.start();
        return start.length == 0 ? PROBE_KEY : ByteSequence.from(start);
    }

    /** The end of a range as etcd wants it: "\0" means "no upper bound". */
    static ByteSequence rangeEnd(KeyRange range) {
        return range.bounded() ? ByteSequence.from(range.end()) : PROBE_KEY;
    }

    private static ByteSequence bytes(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        return ByteSequence.from(key, StandardCharsets.UTF_8);
    }

    static KeyValue toKeyValue(io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().getBytes(),
                kv.getCreateRevision(), kv.getModRevision());
    }

    private static KeyValue firstOrNull(TxnResponse response) {
        List<io.etcd.jetcd.KeyValue> kvs = response.getGetResponses().getFirst().getKvs();
        return kvs.isEmpty() ? null : toKeyValue(kvs.getFirst());
    }

    private <T> T await(CompletableFuture<T> request, long revision) {
        try {
            return request.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw translate(e.getCause(), revision);
        } catch (TimeoutException e) {
            request.cancel(true);
            throw new StorageException("etcd did not answer within " + REQUEST_TIMEOUT, e);
        } catch (InterruptedException e) {
            request.cancel(true);
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for etcd", e);
        }
    }

    /** etcd's errors, recognised by its messages (jetcd maps both to gRPC's OUT_OF_RANGE). */
    private StorageException translate(Throwable error, long revision) {
        String message = String.valueOf(error.getMessage());
        if (error instanceof io.etcd.jetcd.common.exception.CompactedException compacted) {
            return new CompactedException(revision, compacted.getCompactedRevision());
        }
        if (message.contains("required revision has been compacted")) {
            // The compacted revision is not in the error; it is at least the revision asked for + 1.
            long atLeast = Math.max(knownCompacted.get(), revision + 1);
            return new CompactedException(revision, atLeast);
        }
        if (message.contains("required revision is a future revision")) {
            return new FutureRevisionException(revision, currentRevision());
        }
        return new StorageException("etcd request failed: " + message, error);
    }
}
