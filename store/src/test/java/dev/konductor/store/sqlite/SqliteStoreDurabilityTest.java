package dev.konductor.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.store.CompactedException;
import dev.konductor.store.KeyValue;
import dev.konductor.store.RecordingListener;
import dev.konductor.store.Watch;
import dev.konductor.store.WatchEvent;
import dev.konductor.store.WriteResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the embedded store keeps across a clean close and across a crash. */
class SqliteStoreDurabilityTest {

    private static final int ACKS_BEFORE_KILL = 400;

    @TempDir
    Path dir;

    @Test
    void reopeningKeepsKeysHistoryRevisionAndCompaction() throws Exception {
        Path file = dir.resolve("state.db");
        KeyValue a2;
        KeyValue b;
        long revision;
        try (SqliteStore store = SqliteStore.open(file)) {
            KeyValue a1 = written(store.create("/r/a", bytes("1")));
            a2 = written(store.update("/r/a", bytes("2"), a1.modRevision()));
            b = written(store.create("/r/b", bytes("b")));
            written(store.create("/r/c", bytes("c")));
            written(store.delete("/r/c", 0));
            store.compact(a2.modRevision());
            revision = store.currentRevision();
        }

        try (SqliteStore store = SqliteStore.open(file)) {
            assertThat(store.currentRevision()).isEqualTo(revision);
            assertThat(store.compactedRevision()).isEqualTo(a2.modRevision());
            assertThat(store.get("/r/a")).isEqualTo(a2);
            assertThat(store.get("/r/c")).isNull();
            assertThat(store.range("/r/", null, 0, 0).kvs()).containsExactly(a2, b);
            assertThatThrownBy(() -> store.range("/r/", null, a2.modRevision() - 1, 0))
                    .isInstanceOf(CompactedException.class);
            // The index is rebuilt: CAS and recreate-after-delete behave as before the restart.
            assertThat(store.update("/r/a", bytes("stale"), a2.modRevision() - 1)).isInstanceOf(WriteResult.Conflict.class);
            KeyValue c = written(store.create("/r/c", bytes("again")));
            assertThat(c.modRevision()).isEqualTo(revision + 1);
            RecordingListener listener = new RecordingListener();
            try (Watch ignored = store.watch("/r/", a2.modRevision(), listener)) {
                assertThat(listener.awaitEvents(4)).extracting(e -> e.type() + " " + e.revision()).containsExactly(
                        "PUT " + b.modRevision(), "PUT " + (b.modRevision() + 1), "DELETE " + (b.modRevision() + 2),
                        "PUT " + c.modRevision());
            }
        }
    }

    @Test
    void aKilledProcessLosesNoAcknowledgedWrite() throws Exception {
        Path file = dir.resolve("state.db");
        // A file rather than a pipe: it keeps every line the child wrote before it died, with
        // no reader racing the JDK's own draining of a dead process's pipe.
        Path output = dir.resolve("child.out");
        Process child = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                SqliteCrashChild.class.getName(), file.toString(), "16")
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            awaitAcks(child, output);
            child.destroyForcibly();    // SIGKILL, mid-burst
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        List<String> acks = acks(output);
        assertThat(acks).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        try (SqliteStore store = SqliteStore.open(file)) {
            List<String> missing = acks.stream().filter(key -> store.get(key) == null).toList();
            assertThat(missing).as("acknowledged keys missing after the crash").isEmpty();
            assertThat(store.count("/crash/")).isGreaterThanOrEqualTo(acks.size());
            assertThat(store.currentRevision()).isEqualTo(store.count("/crash/"));
        }
    }

    private static void awaitAcks(Process child, Path output) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (acks(output).size() < ACKS_BEFORE_KILL) {
            assertThat(child.isAlive()).as("child still running").isTrue();
            assertThat(Instant.now()).as("child acknowledged %d writes in time", ACKS_BEFORE_KILL).isBefore(deadline);
            Thread.sleep(20);
        }
    }

    /** The keys the child acknowledged; a torn last line (cut by the kill) is not an acknowledgement. */
    private static List<String> acks(Path output) throws IOException {
        String text = Files.readString(output, StandardCharsets.UTF_8);
        int complete = text.lastIndexOf('\n') + 1;
        return text.substring(0, complete).lines().filter(line -> line.startsWith("ACK ")).map(line -> line.substring(4)).toList();
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static KeyValue written(WriteResult result) {
        assertThat(result).isInstanceOf(WriteResult.Written.class);
        return ((WriteResult.Written) result).kv();
    }
}
