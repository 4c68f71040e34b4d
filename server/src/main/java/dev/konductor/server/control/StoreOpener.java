package dev.konductor.server.control;

import dev.konductor.store.Store;
import java.nio.file.Path;

/** Opens the store named by {@code --datastore}; a seam so tests can run without a real one. */
@FunctionalInterface
public interface StoreOpener {
    Store open(String datastore, Path dataDir) throws Exception;
}
