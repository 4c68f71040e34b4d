package dev.konductor.store;

import dev.konductor.store.etcd.EtcdStore;
import dev.konductor.store.sqlite.SqliteStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens the store a {@code --datastore} setting names. */
public final class Stores {

    /** The embedded store's file inside the data directory. */
    public static final String SQLITE_FILE = "state.db";

    private static final String ETCD_SCHEME = "etcd://";

    private Stores() {
    }

    /**
     * Opens a store:
     * <ul>
     *   <li>{@code null}, {@code ""} or {@code "sqlite"}: the embedded store in {@code dataDir/state.db};
     *   <li>{@code "etcd://host1:port1,host2:port2"}: an etcd cluster, reached over plain HTTP.
     * </ul>
     *
     * @throws IllegalArgumentException if {@code datastore} is neither
     */
    public static Store open(String datastore, Path dataDir) {
        if (datastore == null || datastore.isBlank() || datastore.equals("sqlite")) {
            return SqliteStore.open(dataDir.resolve(SQLITE_FILE));
        }
        if (datastore.startsWith(ETCD_SCHEME)) {
            return EtcdStore.connect(etcdEndpoints(datastore));
        }
        throw new IllegalArgumentException(
                "unknown datastore \"" + datastore + "\": expected \"sqlite\" or \"etcd://host:port[,host:port...]\"");
    }

    /** The client URLs in an {@code etcd://h1:p1,h2:p2} setting. */
    static List<URI> etcdEndpoints(String datastore) {
        String members = datastore.substring(ETCD_SCHEME.length());
        List<URI> endpoints = new ArrayList<>();
        for (String member : members.split(",")) {
            String hostPort = member.strip();
            if (hostPort.endsWith("/")) {
                hostPort = hostPort.substring(0, hostPort.length() - 1);
            }
            URI uri = hostPort.isEmpty() ? null : parseOrNull("http://" + hostPort);
            if (uri == null || uri.getHost() == null || uri.getPort() < 0 || !uri.getRawPath().isEmpty()) {
                throw new IllegalArgumentException(
                        "etcd member \"" + member + "\" in \"" + datastore + "\" must be host:port");
            }
            endpoints.add(uri);
        }
        return List.copyOf(endpoints);
    }

    private static URI parseOrNull(String uri) {
        try {
            return new URI(uri);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
