package dev.konductor.store.sqlite;

import dev.konductor.store.Store;
import dev.konductor.store.StoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against the embedded sqlite store, a fresh database per test. */
class SqliteStoreContractTest extends StoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected Store openStore() {
        return SqliteStore.open(dir.resolve("state.db"));
    }
}
