package dev.konductor.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.apiserver.watchcache.WatchCache;
import dev.konductor.store.KeyValue;
import dev.konductor.store.Store;
import dev.konductor.store.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventExpiryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;
    private Store store;
    private WatchCache cache;
    private EventExpiry expiry;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("db.sqlite"));
        cache = new WatchCache(store, MAPPER);
        cache.start();
        expiry = new EventExpiry(cache, store, Duration.ofHours(1), Duration.ofMinutes(1), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        cache.close();
        store.close();
    }

    private static String event(String name, String created, String lastTimestamp) {
        return """
                {"apiVersion":"v1","kind":"Event","metadata":{"name":"%s","namespace":"default","creationTimestamp":"%s",
                "managedFields":[{"manager":"kubelet","operation":"Update","apiVersion":"v1","time":"%s"}]},
                "involvedObject":{"kind":"Pod","namespace":"default","name":"web"},"reason":"Started",
                "firstTimestamp":"%s","lastTimestamp":%s,"count":1,"type":"Normal"}"""
                .formatted(name, created, created, created, lastTimestamp == null ? "null" : "\"" + lastTimestamp + "\"");
    }

    private void put(String name, String json) {
        store.create(EventExpiry.PREFIX + "default/" + name, json.getBytes(StandardCharsets.UTF_8));
    }

    private KeyValue get(String name) {
        return store.get(EventExpiry.PREFIX + "default/" + name);
    }

    @Test
    void eventsLastWrittenMoreThanTheTtlAgoAreDeleted() {
        put("old", event("old", "2026-12-07T10:30:00Z", "2026-12-07T10:45:00Z"));
        put("recent", event("recent", "2026-12-07T11:30:00Z", null));
        put("repeated", event("repeated", "2026-12-07T09:00:00Z", "2026-12-07T11:59:00Z"));
        assertThat(cache.waitFresh(5_000)).isTrue();

        assertThat(expiry.sweep()).isEqualTo(1);

        assertThat(get("old")).isNull();
        assertThat(get("recent")).isNotNull();
        assertThat(get("repeated")).as("its last timestamp is recent").isNotNull();
    }

    @Test
    void readsEveryTimestampAnEventCarries() throws Exception {
        var micro = MAPPER.readTree("""
                {"metadata":{"creationTimestamp":"2026-12-07T10:00:00Z"},"eventTime":"2026-12-07T10:00:00.000000Z",
                "series":{"count":3,"lastObservedTime":"2026-12-07T11:10:00.123456Z"}}""");
        var none = MAPPER.readTree("{\"metadata\":{}}");
        var garbled = MAPPER.readTree("{\"metadata\":{\"creationTimestamp\":\"yesterday\"}}");

        assertThat(EventExpiry.lastWritten(micro)).contains(Instant.parse("2026-12-07T11:10:00.123456Z"));
        assertThat(EventExpiry.lastWritten(none)).isEmpty();
        assertThat(EventExpiry.lastWritten(garbled)).isEmpty();
    }
}
