package dev.konductor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.store.sqlite.SqliteStore;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {

    @TempDir
    Path dir;

    @Test
    void sqliteIsTheDefaultAndLivesInStateDb() {
        for (String datastore : new String[] {null, "", "sqlite"}) {
            try (Store store = Stores.open(datastore, dir)) {
                assertThat(store).isInstanceOf(SqliteStore.class);
                assertThat(((SqliteStore) store).file()).isEqualTo(dir.resolve("state.db"));
            }
        }
    }

    @Test
    void etcdMembersBecomeHttpEndpoints() {
        assertThat(Stores.etcdEndpoints("etcd://10.0.0.1:2379,etcd-2:2379"))
                .containsExactly(URI.create("http://10.0.0.1:2379"), URI.create("http://etcd-2:2379"));
    }

    @Test
    void malformedSettingsAreRejectedWithTheirText() {
        assertThatThrownBy(() -> Stores.open("postgres://db", dir)).hasMessageContaining("postgres://db");
        assertThatThrownBy(() -> Stores.etcdEndpoints("etcd://host-without-port")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> Stores.etcdEndpoints("etcd://")).hasMessageContaining("host:port");
    }
}
