package dev.konductor.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.store.KeyValue;
import dev.konductor.store.WriteResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction of the log table: what it removes, what it keeps, and that writes go on meanwhile. */
class SqliteCompactionTest {

    @TempDir
    Path dir;

    @Test
    void compactionKeepsOnlyTheNewestRowOfEachLiveKeyWhileWritesContinue() throws Exception {
        Path file = dir.resolve("state.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            List<KeyValue> newest = new ArrayList<>();
            for (int key = 0; key < 50; key++) {
                KeyValue kv = written(store.create("/c/k" + key, bytes("0")));
                for (int version = 1; version <= 30; version++) {    // ~1,500 rows: more than one compaction chunk
                    kv = written(store.update(kv.key(), bytes(Integer.toString(version)), kv.modRevision()));
                }
                newest.add(kv);
            }
            for (int key = 40; key < 50; key++) {
                written(store.delete("/c/k" + key, 0));
            }
            long compactAt = store.currentRevision();

            AtomicBoolean compacting = new AtomicBoolean(true);
            CompletableFuture<Integer> concurrentWrites = CompletableFuture.supplyAsync(() -> {
                int n = 0;
                while (compacting.get() || n < 10) {
                    written(store.create("/during/" + n++, bytes("x")));
                }
                return n;
            });
            store.compact(compactAt);
            compacting.set(false);
            int writtenDuring = concurrentWrites.get();

            assertThat(rowsBelow(file, compactAt)).isEqualTo(40);
            assertThat(store.range("/c/", null, compactAt, 0).kvs()).containsExactlyInAnyOrderElementsOf(newest.subList(0, 40));
            assertThat(store.count("/during/")).isEqualTo(writtenDuring);
            // A key whose tombstone was compacted away starts afresh.
            KeyValue recreated = written(store.create("/c/k45", bytes("new")));
            assertThat(recreated.createRevision()).isEqualTo(recreated.modRevision());
        }
    }

    private static long rowsBelow(Path file, long revision) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM kv WHERE id < " + revision)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static KeyValue written(WriteResult result) {
        assertThat(result).isInstanceOf(WriteResult.Written.class);
        return ((WriteResult.Written) result).kv();
    }
}
