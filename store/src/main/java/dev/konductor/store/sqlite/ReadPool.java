package dev.konductor.store.sqlite;

import dev.konductor.store.StorageException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * A few read-only connections, each used by one platform thread at a time. WAL mode lets them
 * read concurrently with each other and with the writer; every read runs in its own transaction,
 * so it sees one consistent snapshot.
 *
 * <p>Reads run on the pool's own platform threads rather than the caller's: callers are often
 * virtual threads, and a native sqlite call would pin their carrier for its whole duration.
 */
final class ReadPool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ReadPool.class.getName());

    /** A read against one connection, inside one transaction. */
    @FunctionalInterface
    interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();
    private final ExecutorService threads;

    ReadPool(Path file, int size) {
        this.idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            Connection connection = Schema.connect(file, true);
            all.add(connection);
            idle.add(connection);
        }
        this.threads = Executors.newFixedThreadPool(size, Thread.ofPlatform().name("sqlite-reader-", 0).daemon().factory());
    }

    /** Runs {@code query} in a read transaction and returns its result. */
    <T> T read(Query<T> query) {
        Future<T> result;
        try {
            result = threads.submit(() -> runOnIdleConnection(query));
        } catch (RejectedExecutionException e) {
            throw new StorageException("store is closed");
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(false);
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while reading", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StorageException("read failed: " + e.getCause(), e.getCause());
        }
    }

    private <T> T runOnIdleConnection(Query<T> query) throws InterruptedException {
        Connection connection = idle.take();
        try {
            T value = query.run(connection);
            connection.commit();
            return value;
        } catch (SQLException e) {
            rollback(connection);
            throw new StorageException("read failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollback(connection);
            throw e;
        } finally {
            idle.add(connection);
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "rollback of a read failed", e);
        }
    }

    @Override
    public void close() {
        threads.close();
        for (Connection connection : all) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "closing a read connection failed", e);
            }
        }
    }
}
