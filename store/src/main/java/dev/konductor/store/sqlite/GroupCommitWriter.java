package dev.konductor.store.sqlite;

import dev.konductor.store.KeyValue;
import dev.konductor.store.StorageException;
import dev.konductor.store.WatchEvent;
import dev.konductor.store.WriteResult;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The only thread that writes to the database. Writers queue requests; this thread takes every
 * request waiting, applies them in one transaction, commits (one fsync for the whole batch), and
 * only then publishes their events and completes their futures. Group commit is what lets many
 * concurrent writers share the cost of a durable commit.
 *
 * <p>Compare-and-swap is decided here against an in-memory index of every key's newest row
 * (live keys and tombstones), so a write needs no read to check its precondition; the unique
 * index on {@code (name, prev_revision)} stays as a backstop.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GroupCommitWriter.class.getName());
    private static final int MAX_BATCH = 1024;
    private static final int COMPACT_CHUNK = 1000;

    sealed interface Request {
        CompletableFuture<?> done();
    }

    record Create(String key, byte[] value, CompletableFuture<WriteResult> done) implements Request {
    }

    record Update(String key, byte[] value, long expectedModRevision, CompletableFuture<WriteResult> done)
            implements Request {
    }

    record Delete(String key, long expectedModRevision, CompletableFuture<WriteResult> done) implements Request {
    }

    /**
     * One step of a compaction. Compaction runs in chunks of row ids, each its own transaction
     * and re-queued behind waiting writes, so that compacting a large log never stalls writers.
     */
    record Compact(long revision, long fromId, CompletableFuture<Void> done) implements Request {
    }

    private record Stop(CompletableFuture<Void> done) implements Request {
    }

    /** A key's newest row. */
    record KeyState(long createRevision, long modRevision, boolean deleted) {
    }

    /** What the store learns from the writer after each commit. */
    interface Listener {
        void committed(long revision, List<WatchEvent> events);

        void compacted(long revision);
    }

    private final Connection connection;
    private final Map<String, KeyState> index;
    private final Listener listener;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Object submitLock = new Object();
    private boolean closed;                          // guarded by submitLock
    private long revision;                           // writer thread only, after open
    private final Thread thread;

    private final PreparedStatement insert;
    private final PreparedStatement valueOf;

    GroupCommitWriter(Connection connection, long revision, Map<String, KeyState> index, Listener listener)
            throws SQLException {
        this.connection = connection;
        this.revision = revision;
        this.index = index;
        this.listener = listener;
        this.insert = connection.prepareStatement("INSERT INTO kv (" + LogRow.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        this.valueOf = connection.prepareStatement("SELECT value FROM kv WHERE id = ?");
        // A platform thread: sqlite's native calls (and the fsync inside commit) would pin a
        // virtual thread's carrier for their whole duration.
        this.thread = Thread.ofPlatform().name("sqlite-writer").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Queues {@code request}; its future fails at once if the writer is closed. */
    <R extends Request> R submit(R request) {
        synchronized (submitLock) {
            if (closed) {
                request.done().completeExceptionally(new StorageException("store is closed"));
            } else {
                queue.add(request);
            }
        }
        return request;
    }

    /** Finishes every request queued so far, then stops the thread. */
    @Override
    public void close() {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        synchronized (submitLock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(new Stop(stopped));
        }
        stopped.join();
        try {
            thread.join();
            insert.close();
            valueOf.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "closing statements failed", e);
        }
    }

    private void run() {
        List<Request> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                if (!process(batch)) {
                    return;
                }
            } catch (InterruptedException e) {
                LOG.log(Level.ERROR, "sqlite writer interrupted; the store can no longer write");
                failEverything(batch, new StorageException("the store's writer was interrupted"));
                return;
            } catch (Throwable e) {
                // Only an Error gets here (writes catch their own exceptions); fail loudly rather
                // than leave every future writer waiting on a dead thread.
                LOG.log(Level.ERROR, "sqlite writer died; the store can no longer write", e);
                failEverything(batch, new StorageException("the store's writer died: " + e, e));
                throw e;
            } finally {
                batch.clear();
            }
        }
    }

    private void failEverything(List<Request> batch, StorageException error) {
        synchronized (submitLock) {
            closed = true;
        }
        batch.forEach(request -> request.done().completeExceptionally(error));
        for (Request left; (left = queue.poll()) != null; ) {
            left.done().completeExceptionally(error);
        }
    }

    /** Applies a drained batch in order; returns false once a stop request has been handled. */
    private boolean process(List<Request> batch) {
        List<Request> writes = new ArrayList<>(batch.size());
        CompletableFuture<Void> stopped = null;
        for (Request request : batch) {
            if (stopped != null) {
                // Only compaction steps re-queued by the writer itself can follow a stop.
                request.done().completeExceptionally(new StorageException("store is closed"));
                continue;
            }
            switch (request) {
                case Create c -> writes.add(c);
                case Update u -> writes.add(u);
                case Delete d -> writes.add(d);
                case Compact compact -> {
                    commitWrites(writes);
                    compactStep(compact);
                }
                case Stop stop -> {
                    commitWrites(writes);
                    stopped = stop.done();
                }
            }
        }
        commitWrites(writes);
        if (stopped == null) {
            return true;
        }
        for (Request left; (left = queue.poll()) != null; ) {
            left.done().completeExceptionally(new StorageException("store is closed"));
        }
        stopped.complete(null);
        return false;
    }

    /** One transaction for all of {@code writes}; their futures complete only after the commit. */
    private void commitWrites(List<Request> writes) {
        if (writes.isEmpty()) {
            return;
        }
        Batch batch = new Batch(revision);
        List<WriteResult> results = new ArrayList<>(writes.size());
        try {
            for (Request write : writes) {
                results.add(apply(write, batch));
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollback();
            StorageException failure = new StorageException("write failed: " + e.getMessage(), e);
            writes.forEach(write -> write.done().completeExceptionally(failure));
            writes.clear();
            return;
        }
        index.putAll(batch.changed);
        revision = batch.revision;
        listener.committed(revision, batch.events);
        for (int i = 0; i < writes.size(); i++) {
            @SuppressWarnings("unchecked")
            CompletableFuture<WriteResult> done = (CompletableFuture<WriteResult>) writes.get(i).done();
            done.complete(results.get(i));
        }
        writes.clear();
    }

    /** The uncommitted state of one transaction, layered over the index. */
    private final class Batch {
        final Map<String, KeyState> changed = new HashMap<>();
        final List<WatchEvent> events = new ArrayList<>();
        long revision;

        Batch(long revision) {
            this.revision = revision;
        }

        KeyState state(String key) {
            KeyState state = changed.get(key);
            return state != null ? state : index.get(key);
        }
    }

    private WriteResult apply(Request write, Batch batch) throws SQLException {
        return switch (write) {
            case Create c -> create(c.key(), c.value(), batch);
            case Update u -> update(u.key(), u.value(), u.expectedModRevision(), batch);
            case Delete d -> delete(d.key(), d.expectedModRevision(), batch);
            default -> throw new IllegalStateException("not a write: " + write);
        };
    }

    private WriteResult create(String key, byte[] value, Batch batch) throws SQLException {
        KeyState state = batch.state(key);
        if (state != null && !state.deleted()) {
            return new WriteResult.Conflict(current(key, state));
        }
        long rev = ++batch.revision;
        long previous = state == null ? 0 : state.modRevision();
        LogRow row = new LogRow(rev, key, true, false, rev, previous, value, null);
        append(row, batch, new KeyState(rev, rev, false));
        return new WriteResult.Written(row.keyValue());
    }

    private WriteResult update(String key, byte[] value, long expected, Batch batch) throws SQLException {
        KeyState state = batch.state(key);
        if (state == null || state.deleted()) {
            return new WriteResult.Conflict(null);
        }
        if (state.modRevision() != expected) {
            return new WriteResult.Conflict(current(key, state));
        }
        long rev = ++batch.revision;
        LogRow row = new LogRow(rev, key, false, false, state.createRevision(), state.modRevision(), value,
                valueAt(state.modRevision()));
        append(row, batch, new KeyState(state.createRevision(), rev, false));
        return new WriteResult.Written(row.keyValue());
    }

    private WriteResult delete(String key, long expected, Batch batch) throws SQLException {
        KeyState state = batch.state(key);
        if (state == null || state.deleted()) {
            return new WriteResult.Conflict(null);
        }
        if (expected != 0 && state.modRevision() != expected) {
            return new WriteResult.Conflict(current(key, state));
        }
        long rev = ++batch.revision;
        LogRow row = new LogRow(rev, key, false, true, state.createRevision(), state.modRevision(),
                valueAt(state.modRevision()), null);
        append(row, batch, new KeyState(state.createRevision(), rev, true));
        return new WriteResult.Written(row.keyValue());
    }

    private void append(LogRow row, Batch batch, KeyState state) throws SQLException {
        insert.setLong(1, row.id());
        insert.setString(2, row.name());
        insert.setBoolean(3, row.created());
        insert.setBoolean(4, row.deleted());
        insert.setLong(5, row.createRevision());
        insert.setLong(6, row.prevRevision());
        insert.setBytes(7, row.value());
        insert.setBytes(8, row.oldValue());
        insert.executeUpdate();
        batch.changed.put(row.name(), state);
        batch.events.add(row.toEvent());
    }

    private KeyValue current(String key, KeyState state) throws SQLException {
        return new KeyValue(key, valueAt(state.modRevision()), state.createRevision(), state.modRevision());
    }

    /** The value written at revision {@code id}; this connection sees the batch's own rows. */
    private byte[] valueAt(long id) throws SQLException {
        valueOf.setLong(1, id);
        try (ResultSet rs = valueOf.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("log row " + id + " is missing; the index and the table disagree");
            }
            byte[] value = rs.getBytes(1);
            return value == null ? new byte[0] : value;
        }
    }

    private void compactStep(Compact step) {
        try {
            long nextId = step.fromId() < 0 ? markCompacted(step.revision()) : deleteChunk(step);
            connection.commit();
            if (step.fromId() < 0) {
                listener.compacted(step.revision());
            }
            if (nextId < step.revision()) {
                queue.add(new Compact(step.revision(), nextId, step.done()));
            } else {
                forgetTombstones(step.revision());
                step.done().complete(null);
            }
        } catch (SQLException | RuntimeException e) {
            rollback();
            step.done().completeExceptionally(new StorageException("compaction failed: " + e.getMessage(), e));
        }
    }

    /**
     * Records the compacted revision before deleting anything: a reader that sees the old mark in
     * its snapshot also sees every row that mark promises.
     */
    private long markCompacted(long compactRevision) throws SQLException {
        try (var upsert = connection.prepareStatement(
                "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)")) {
            upsert.setString(1, Schema.COMPACT_REVISION);
            upsert.setLong(2, compactRevision);
            upsert.executeUpdate();
        }
        try (var first = connection.createStatement();
             ResultSet rs = first.executeQuery("SELECT COALESCE(MIN(id), 0) FROM kv")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Deletes, among one chunk of rows below the revision, tombstones and rows superseded by then. */
    private long deleteChunk(Compact step) throws SQLException {
        long end = Math.min(step.fromId() + COMPACT_CHUNK, step.revision());
        try (var delete = connection.prepareStatement("""
                DELETE FROM kv WHERE id >= ? AND id < ? AND (deleted = 1 OR EXISTS (
                    SELECT 1 FROM kv AS newer WHERE newer.name = kv.name AND newer.id > kv.id AND newer.id <= ?))""")) {
            delete.setLong(1, step.fromId());
            delete.setLong(2, end);
            delete.setLong(3, step.revision());
            delete.executeUpdate();
        }
        return end;
    }

    /** Tombstones below the compacted revision are gone from the table; drop them from the index too. */
    private void forgetTombstones(long compactRevision) {
        for (Iterator<KeyState> it = index.values().iterator(); it.hasNext(); ) {
            KeyState state = it.next();
            if (state.deleted() && state.modRevision() < compactRevision) {
                it.remove();
            }
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.log(Level.ERROR, "rollback failed", e);
        }
    }
}
