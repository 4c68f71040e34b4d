package dev.konductor.server.control;

import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.pki.ClientIdentity;
import dev.konductor.server.pki.ClusterCredentials;
import dev.konductor.server.pki.ClusterPki;
import dev.konductor.server.datadir.AtomicFiles;
import dev.konductor.server.pki.JoinToken;
import dev.konductor.server.pki.NodeToken;
import dev.konductor.server.pki.ServingNames;
import dev.konductor.server.supervisor.Component;
import java.time.Clock;
import java.util.List;

/**
 * Loads or creates the cluster's certificates and node-join token, and writes the token in the
 * form agents take ({@code DIR/node-token}, with the CA's hash). A component of its own so that
 * it runs in parallel with opening the store: on a first start, key generation and loading the
 * store's native library overlap.
 */
public final class CertificatesComponent implements Component {

    public static final String NAME = "certificates";

    private final DataDir dataDir;
    private final ServingNames servingNames;
    private final List<ClientIdentity> components;
    private final Clock clock;
    private volatile ClusterCredentials credentials;
    private volatile String joinToken;

    public CertificatesComponent(DataDir dataDir, ServingNames servingNames, Clock clock) {
        this(dataDir, servingNames, List.of(), clock);
    }

    /** @param components the server's own components that get client certificates of their own */
    public CertificatesComponent(DataDir dataDir, ServingNames servingNames, List<ClientIdentity> components,
                                 Clock clock) {
        this.dataDir = dataDir;
        this.servingNames = servingNames;
        this.components = List.copyOf(components);
        this.clock = clock;
    }

    /** The components with client certificates of their own; valid before start. */
    public List<ClientIdentity> components() {
        return components;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(Monitor monitor) {
        String token = JoinToken.ensure(dataDir.token());
        ClusterCredentials loaded = new ClusterPki(dataDir.tlsDir(), clock).ensure(servingNames, components);
        AtomicFiles.write(dataDir.nodeToken(), NodeToken.of(loaded.ca().certificate(), token).format() + "\n",
                AtomicFiles.Mode.PRIVATE);
        joinToken = token;
        credentials = loaded;
    }

    @Override
    public boolean ready() {
        return credentials != null;
    }

    /** Only valid once this component is ready. */
    public ClusterCredentials credentials() {
        return require(credentials);
    }

    /** Only valid once this component is ready. */
    public String joinToken() {
        return require(joinToken);
    }

    @Override
    public void stop() {
        // Nothing runs; the files stay for the next start.
    }

    private static <T> T require(T value) {
        if (value == null) {
            throw new IllegalStateException("certificates are not loaded yet");
        }
        return value;
    }
}
