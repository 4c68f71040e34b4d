package dev.konductor.store.sqlite;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Copies the WAL back into the database file on a thread of its own. Left to sqlite, the
 * checkpoint runs inside whichever commit crosses the WAL size threshold, and every writer in
 * that group commit waits for it; a passive checkpoint here runs alongside the writer instead.
 */
final class WalCheckpointer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WalCheckpointer.class.getName());
    private static final Duration INTERVAL = Duration.ofMillis(200);

    private final Connection connection;
    private final Thread thread;
    private volatile boolean closed;

    WalCheckpointer(Path file) {
        this.connection = Schema.connect(file, false);
        this.thread = Thread.ofPlatform().name("sqlite-checkpointer").daemon().start(this::run);
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(INTERVAL);
                checkpoint("PASSIVE");
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "WAL checkpoint failed; will retry", e);
            }
        }
    }

    private void checkpoint(String mode) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(" + mode + ")");
        }
    }

    /** Stops the thread, then folds the whole WAL into the database file so that it starts small next time. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join();
            connection.setAutoCommit(true);
            checkpoint("TRUNCATE");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "final WAL checkpoint failed", e);
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "closing the checkpoint connection failed", e);
            }
        }
    }
}
