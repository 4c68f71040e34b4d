package dev.konductor.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.store.CompactedException;
import dev.konductor.store.Store;
import dev.konductor.store.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactorTest {

    @TempDir
    Path dir;
    private Store store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("db.sqlite"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void historyOlderThanOneIntervalIsForgottenWhileLiveKeysStay() {
        Compactor compactor = new Compactor(store, Duration.ofMinutes(5));
        write("/registry/configmaps/default/a", "0");
        write("/registry/configmaps/default/a", "1");
        assertThat(compactor.tick()).as("the first tick only looks").isZero();
        long oneIntervalAgo = store.currentRevision();
        write("/registry/configmaps/default/a", "2");
        write("/registry/configmaps/default/b", "1");

        assertThat(compactor.tick()).isEqualTo(oneIntervalAgo);

        assertThat(store.compactedRevision()).isEqualTo(oneIntervalAgo);
        assertThat(store.get("/registry/configmaps/default/a").valueAsString()).isEqualTo("2");
        assertThat(store.range("/registry/", null, oneIntervalAgo, 0).kvs()).isNotEmpty();
        assertThatThrownBy(() -> store.range("/registry/", null, oneIntervalAgo - 1, 0))
                .isInstanceOf(CompactedException.class);
    }

    @Test
    void serversSharingAStoreCompactOncePerInterval() {
        Compactor first = new Compactor(store, Duration.ofMinutes(5));
        Compactor second = new Compactor(store, Duration.ofMinutes(5));
        write("/registry/configmaps/default/a", "1");
        first.tick();
        second.tick();
        write("/registry/configmaps/default/a", "2");

        long byFirst = first.tick();
        long bySecond = second.tick();

        assertThat(byFirst).isPositive();
        assertThat(bySecond).as("the marker moved: not the second server's turn").isZero();
    }

    @Test
    void aNonPositiveIntervalIsRefused() {
        assertThatThrownBy(() -> new Compactor(store, Duration.ZERO))
                .hasMessage("store-compactor interval must be positive: PT0S");
    }

    private void write(String key, String value) {
        var current = store.get(key);
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (current == null) {
            store.create(key, bytes);
        } else {
            store.update(key, bytes, current.modRevision());
        }
    }
}
