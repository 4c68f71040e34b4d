package dev.konductor.store.sqlite;

import dev.konductor.store.CompactedException;
import dev.konductor.store.FutureRevisionException;
import dev.konductor.store.KeyRange;
import dev.konductor.store.KeyValue;
import dev.konductor.store.RangeResult;
import dev.konductor.store.StorageException;
import dev.konductor.store.Store;
import dev.konductor.store.Watch;
import dev.konductor.store.WatchDelivery;
import dev.konductor.store.WatchEvent;
import dev.konductor.store.WatchListener;
import dev.konductor.store.WriteResult;
import dev.konductor.store.sqlite.GroupCommitWriter.KeyState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The embedded store: one sqlite file holding a log table in the style of k3s's kine. Every write
 * appends a row whose id is its revision; a key's value is its newest row, and its value at an
 * older revision is its newest row at or below that revision, until compaction removes it.
 *
 * <p>Writes go through a single {@link GroupCommitWriter} thread, which commits whatever has
 * queued up in one fsynced transaction. Reads use a small {@link ReadPool}. Watches subscribe to
 * the writer's commits first, then replay the table from their start revision; the
 * {@link WatchDelivery} drops what the replay already delivered.
 */
public final class SqliteStore implements Store {

    private static final int READERS = 4;
    private static final int REPLAY_PAGE = 500;
    private static final int MAX_PENDING_EVENTS = 10_000;

    private record Subscriber(KeyRange range, WatchDelivery delivery) {
    }

    private final Path file;
    private final Connection writerConnection;
    private final GroupCommitWriter writer;
    private final ReadPool readers;
    private final WalCheckpointer checkpointer;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile long currentRevision;
    private volatile long compactedRevision;

    private SqliteStore(Path file, Connection writerConnection, long openedAtRevision, long openedCompactedRevision,
                        Map<String, KeyState> index) throws SQLException {
        this.file = file;
        this.writerConnection = writerConnection;
        this.currentRevision = openedAtRevision;
        this.compactedRevision = openedCompactedRevision;
        this.writer = new GroupCommitWriter(writerConnection, openedAtRevision, index, new GroupCommitWriter.Listener() {
            @Override
            public void committed(long revision, List<WatchEvent> events) {
                onCommitted(revision, events);
            }

            @Override
            public void compacted(long revision) {
                onCompacted(revision);
            }
        });
        this.readers = new ReadPool(file, READERS);
        this.checkpointer = new WalCheckpointer(file);
        writer.start();
    }

    /** Opens (creating if needed) the store in {@code dbFile}, recovering whatever was committed. */
    public static SqliteStore open(Path dbFile) {
        Path parent = dbFile.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StorageException("cannot create " + parent + ": " + e.getMessage(), e);
        }
        Connection connection = Schema.connect(dbFile, false);
        try {
            try (var statement = connection.createStatement()) {
                // Checkpoints are the WalCheckpointer's job, off the commit path.
                statement.execute("PRAGMA wal_autocheckpoint = 0");
                // Once checkpointed, the WAL is reused from its start; past this size it is also truncated.
                statement.execute("PRAGMA journal_size_limit = 67108864");
            }
            Schema.create(connection);
            long current = Schema.currentRevision(connection);
            long compacted = Schema.compactRevision(connection);
            Map<String, KeyState> index = loadIndex(connection);
            connection.commit();
            return new SqliteStore(dbFile, connection, current, compacted, index);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw new StorageException("cannot open " + dbFile + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, KeyState> loadIndex(Connection connection) throws SQLException {
        Map<String, KeyState> index = new HashMap<>();
        try (var statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("""
                     SELECT kv.name, kv.create_revision, kv.id, kv.deleted FROM kv
                     JOIN (SELECT MAX(id) AS id FROM kv GROUP BY name) AS newest ON kv.id = newest.id""")) {
            while (rs.next()) {
                index.put(rs.getString(1), new KeyState(rs.getLong(2), rs.getLong(3), rs.getBoolean(4)));
            }
        }
        return index;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    @Override
    public long currentRevision() {
        return currentRevision;
    }

    @Override
    public long compactedRevision() {
        return compactedRevision;
    }

    @Override
    public KeyValue get(String key) {
        Objects.requireNonNull(key, "key");
        return readers.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + LogRow.COLUMNS + " FROM kv WHERE name = ? ORDER BY id DESC LIMIT 1")) {
                query.setString(1, key);
                try (ResultSet rs = query.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    LogRow row = LogRow.read(rs);
                    return row.deleted() ? null : row.keyValue();
                }
            }
        });
    }

    @Override
    public RangeResult range(String prefix, String startKey, long revision, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        long current = currentRevision;
        if (revision > current) {
            throw new FutureRevisionException(revision, current);
        }
        // Every row up to the revision read here is committed, so the snapshot holds them all.
        long atRevision = revision == 0 ? current : revision;
        KeyRange range = KeyRange.of(prefix, startKey);
        return readers.read(connection -> {
            checkNotCompacted(connection, revision);
            List<KeyValue> kvs = new ArrayList<>();
            String sql = "SELECT k.name, k.value, k.create_revision, k.id FROM kv AS k WHERE " + liveAt(range)
                    + " ORDER BY k.name LIMIT ?";
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                int next = bindRange(query, range, atRevision);
                query.setLong(next, limit == 0 ? -1 : limit + 1L);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        byte[] value = rs.getBytes(2);
                        kvs.add(new KeyValue(rs.getString(1), value == null ? new byte[0] : value, rs.getLong(3),
                                rs.getLong(4)));
                    }
                }
            }
            boolean more = limit > 0 && kvs.size() > limit;
            return new RangeResult(more ? List.copyOf(kvs.subList(0, limit)) : List.copyOf(kvs), more, atRevision);
        });
    }

    @Override
    public long count(String prefix) {
        KeyRange range = KeyRange.of(prefix, null);
        long atRevision = currentRevision;
        return readers.read(connection -> {
            String sql = "SELECT COUNT(*) FROM kv AS k WHERE " + liveAt(range);
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                bindRange(query, range, atRevision);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Selects, for keys in a range, each key's newest row at a revision unless it is a tombstone.
     * It walks the (name, id) index in key order, so a limited range stops early instead of
     * sorting the whole prefix. Bounds are bound as UTF-8 bytes cast to text, so that they
     * compare byte-wise, like the keys and like etcd.
     */
    private static String liveAt(KeyRange range) {
        return "k.name >= CAST(? AS TEXT)" + (range.bounded() ? " AND k.name < CAST(? AS TEXT)" : "")
                + " AND k.id = (SELECT MAX(id) FROM kv AS newer WHERE newer.name = k.name AND newer.id <= ?)"
                + " AND k.deleted = 0";
    }

    private static int bindRange(PreparedStatement query, KeyRange range, long atRevision) throws SQLException {
        int i = 1;
        query.setBytes(i++, range.start());
        if (range.bounded()) {
            query.setBytes(i++, range.end());
        }
        query.setLong(i++, atRevision);
        return i;
    }

    /** Checked inside the read's transaction: the mark is written before any row is deleted. */
    private static void checkNotCompacted(Connection connection, long revision) throws SQLException {
        long compacted = Schema.compactRevision(connection);
        if (revision != 0 && revision < compacted) {
            throw new CompactedException(revision, compacted);
        }
    }

    @Override
    public WriteResult create(String key, byte[] value) {
        Objects.requireNonNull(value, "value");
        return await(writer.submit(new GroupCommitWriter.Create(requireKey(key), value.clone(), new CompletableFuture<>())).done());
    }

    @Override
    public WriteResult update(String key, byte[] value, long expectedModRevision) {
        Objects.requireNonNull(value, "value");
        return await(writer.submit(new GroupCommitWriter.Update(requireKey(key), value.clone(), expectedModRevision,
                new CompletableFuture<>())).done());
    }

    @Override
    public WriteResult delete(String key, long expectedModRevision) {
        return await(writer.submit(new GroupCommitWriter.Delete(requireKey(key), expectedModRevision,
                new CompletableFuture<>())).done());
    }

    @Override
    public void compact(long revision) {
        long current = currentRevision;
        if (revision > current) {
            throw new FutureRevisionException(revision, current);
        }
        if (revision <= compactedRevision) {
            return;
        }
        await(writer.submit(new GroupCommitWriter.Compact(revision, -1, new CompletableFuture<>())).done());
    }

    @Override
    public Watch watch(String prefix, long afterRevision, WatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        long compacted = compactedRevision;
        if (afterRevision + 1 < compacted) {
            throw new CompactedException(afterRevision + 1, compacted);
        }
        KeyRange range = KeyRange.of(prefix, null);
        WatchDelivery delivery = WatchDelivery.create(prefix, afterRevision, listener,
                (after, sink) -> replay(range, after, sink), MAX_PENDING_EVENTS,
                closed -> subscribers.removeIf(subscriber -> subscriber.delivery() == closed));
        // Subscribe before the replay starts: the replay reads the current revision after this,
        // so every later commit reaches the delivery live.
        subscribers.add(new Subscriber(range, delivery));
        return delivery.start();
    }

    /** Replays the log after {@code afterRevision}, up to the revision current when it starts. */
    private long replay(KeyRange range, long afterRevision, Consumer<List<WatchEvent>> sink) {
        long until = currentRevision;
        long from = afterRevision;
        while (from < until) {
            long after = from;
            List<LogRow> page = readers.read(connection -> {
                long compacted = Schema.compactRevision(connection);
                if (after + 1 < compacted) {
                    throw new CompactedException(after + 1, compacted);
                }
                return historyPage(connection, range, after, until);
            });
            if (!page.isEmpty()) {
                sink.accept(page.stream().map(LogRow::toEvent).toList());
            }
            if (page.size() < REPLAY_PAGE) {
                break;
            }
            from = page.getLast().id();
        }
        return until;
    }

    private static List<LogRow> historyPage(Connection connection, KeyRange range, long after, long until)
            throws SQLException {
        String sql = "SELECT " + LogRow.COLUMNS + " FROM kv WHERE id > ? AND id <= ? AND name >= CAST(? AS TEXT)"
                + (range.bounded() ? " AND name < CAST(? AS TEXT)" : "") + " ORDER BY id LIMIT " + REPLAY_PAGE;
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, after);
            query.setLong(2, until);
            query.setBytes(3, range.start());
            if (range.bounded()) {
                query.setBytes(4, range.end());
            }
            List<LogRow> rows = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(LogRow.read(rs));
                }
            }
            return rows;
        }
    }

    /** Called by the writer thread after each commit, in revision order. */
    private void onCommitted(long revision, List<WatchEvent> events) {
        // The revision is visible before the events go out: a watch that reads it after
        // subscribing either replays an event or receives it live, never neither.
        currentRevision = revision;
        for (Subscriber subscriber : subscribers) {
            List<WatchEvent> selected = new ArrayList<>();
            for (WatchEvent event : events) {
                if (subscriber.range().contains(event.kv().key())) {
                    selected.add(event);
                }
            }
            subscriber.delivery().offer(selected);
        }
    }

    private void onCompacted(long revision) {
        compactedRevision = Math.max(compactedRevision, revision);
    }

    @Override
    public void close() {
        for (Subscriber subscriber : subscribers) {
            subscriber.delivery().close();
        }
        writer.close();
        readers.close();
        closeQuietly(writerConnection);
        checkpointer.close();
    }

    private static String requireKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        return key;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StorageException storage) {
                throw storage;
            }
            throw new StorageException("write failed: " + e.getCause(), e.getCause());
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing after a failure: the original error is the one worth reporting.
        }
    }
}
