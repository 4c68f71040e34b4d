package dev.konductor.store.sqlite;

import dev.konductor.store.KeyValue;
import dev.konductor.store.WatchEvent;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One row of the log table: the write that produced revision {@code id}.
 *
 * <p>A create has {@code created} set and no previous value. An update keeps the value it
 * replaced in {@code oldValue}, so that a watch can report it even after compaction removed the
 * older row. A delete (a tombstone) carries the deleted value in {@code value}.
 * {@code prevRevision} is the revision of the key's previous row (0 for the first one), which
 * with the unique index on {@code (name, prev_revision)} lets at most one write follow any row.
 */
record LogRow(long id, String name, boolean created, boolean deleted, long createRevision, long prevRevision,
              byte[] value, byte[] oldValue) {

    /** The columns {@link #read} expects, in order. */
    static final String COLUMNS = "id, name, created, deleted, create_revision, prev_revision, value, old_value";

    static LogRow read(ResultSet rs) throws SQLException {
        return new LogRow(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4), rs.getLong(5),
                rs.getLong(6), rs.getBytes(7), rs.getBytes(8));
    }

    /** The key as this row left it (for a tombstone: the deleted value, at the deletion's revision). */
    KeyValue keyValue() {
        return new KeyValue(name, orEmpty(value), createRevision, id);
    }

    WatchEvent toEvent() {
        if (deleted) {
            return new WatchEvent(WatchEvent.Type.DELETE, keyValue(),
                    new KeyValue(name, orEmpty(value), createRevision, prevRevision));
        }
        KeyValue previous = created ? null : new KeyValue(name, orEmpty(oldValue), createRevision, prevRevision);
        return new WatchEvent(WatchEvent.Type.PUT, keyValue(), previous);
    }

    private static byte[] orEmpty(byte[] bytes) {
        return bytes == null ? new byte[0] : bytes;
    }
}
