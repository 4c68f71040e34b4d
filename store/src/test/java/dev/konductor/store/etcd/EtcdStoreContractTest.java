package dev.konductor.store.etcd;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.store.Store;
import dev.konductor.store.StoreContractTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract against a real etcd, started once for the class on loopback ports; each
 * test connects a new client and works under its own prefix. Skipped when etcd is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdStoreContractTest extends StoreContractTest {

    private EtcdProcess etcd;

    @BeforeAll
    void startEtcd(@TempDir Path dir) {
        assumeTrue(EtcdProcess.findExecutable().isPresent(), "etcd is not installed");
        etcd = EtcdProcess.start(dir.resolve("etcd"));
    }

    @AfterAll
    void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    protected Store openStore() {
        return EtcdStore.connect(List.of(etcd.endpoint()));
    }
}
