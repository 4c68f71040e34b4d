package dev.konductor.store.sqlite;

import dev.konductor.store.StorageException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** The database file's layout and how connections to it are configured. */
final class Schema {

    static final String COMPACT_REVISION = "compact_revision";

    private static final String[] DDL = {
        """
        CREATE TABLE IF NOT EXISTS kv (
            id              INTEGER PRIMARY KEY,
            name            TEXT    NOT NULL,
            created         INTEGER NOT NULL,
            deleted         INTEGER NOT NULL,
            create_revision INTEGER NOT NULL,
            prev_revision   INTEGER NOT NULL,
            value           BLOB,
            old_value       BLOB
        )""",
        // The compare-and-swap backstop: at most one write can follow any given row of a key.
        "CREATE UNIQUE INDEX IF NOT EXISTS kv_name_prev_revision ON kv (name, prev_revision)",
        // Newest row of a key, and range reads at a revision (a covering index for MAX(id) per name).
        "CREATE INDEX IF NOT EXISTS kv_name_id ON kv (name, id)",
        "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    };

    private Schema() {
    }

    /**
     * Opens a connection in WAL mode with {@code synchronous=FULL}: a commit returns only once
     * the WAL is fsynced, so an acknowledged write survives a crash or power loss.
     */
    static Connection connect(Path file, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        try {
            Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            if (readOnly) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("PRAGMA query_only = true");
                }
            }
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            throw new StorageException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String ddl : DDL) {
                statement.execute(ddl);
            }
        }
        connection.commit();
    }

    /** The compacted revision as seen by {@code connection}'s current transaction. */
    static long compactRevision(Connection connection) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
            statement.setString(1, COMPACT_REVISION);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** The newest revision: the highest row id, or the compacted revision if that is higher. */
    static long currentRevision(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(id), 0) FROM kv")) {
            rs.next();
            return Math.max(rs.getLong(1), compactRevision(connection));
        }
    }
}
