package dev.konductor.server.control;

import dev.konductor.server.supervisor.Component;
import dev.konductor.store.Store;
import java.nio.file.Path;

/**
 * The store, opened for the API server (its only user, as ARCHITECTURE.md requires) and closed
 * after it.
 */
public final class StoreComponent implements Component {

    public static final String NAME = "store";

    private final StoreOpener opener;
    private final String datastore;
    private final Path dataDir;
    private volatile Store store;

    public StoreComponent(StoreOpener opener, String datastore, Path dataDir) {
        this.opener = opener;
        this.datastore = datastore;
        this.dataDir = dataDir;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(Monitor monitor) throws Exception {
        store = opener.open(datastore, dataDir);
    }

    @Override
    public boolean ready() {
        return store != null;
    }

    /** The open store; only valid once this component is ready. */
    public Store store() {
        Store open = store;
        if (open == null) {
            throw new IllegalStateException("store is not open yet");
        }
        return open;
    }

    @Override
    public void stop() {
        Store open = store;
        if (open != null) {
            open.close();
        }
    }
}
