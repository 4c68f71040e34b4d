package dev.konductor.server.control;

import dev.konductor.apiserver.ApiServer;
import dev.konductor.apiserver.ApiServerConfig;
import dev.konductor.apiserver.TlsMaterial;
import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.server.kubeconfig.Kubeconfig;
import dev.konductor.server.pki.ClientIdentity;
import dev.konductor.server.pki.ClusterCredentials;
import dev.konductor.server.pki.JoinToken;
import dev.konductor.server.pki.NodeCertificates;
import dev.konductor.server.supervisor.Component;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes API server, serving HTTPS with the cluster's certificates over the store. Once
 * it listens, it writes the admin kubeconfig, and one for each of the server's components with a
 * client certificate of its own, with the port actually bound (which differs from {@code --port}
 * when that is 0).
 */
public final class ApiServerComponent implements Component {

    public static final String NAME = "apiserver";

    private final ServerOptions options;
    private final InetAddress advertiseAddress;
    private final StoreComponent store;
    private final CertificatesComponent certificates;
    private volatile ApiServer apiServer;
    private volatile boolean serving;

    public ApiServerComponent(ServerOptions options, InetAddress advertiseAddress,
                              StoreComponent store, CertificatesComponent certificates) {
        this.options = options;
        this.advertiseAddress = advertiseAddress;
        this.store = store;
        this.certificates = certificates;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of(StoreComponent.NAME, CertificatesComponent.NAME);
    }

    @Override
    public void start(Monitor monitor) throws Exception {
        ClusterCredentials credentials = certificates.credentials();
        ApiServerConfig config = new ApiServerConfig(store.store(), options.bindAddress().orElse(null),
                options.port(), tlsMaterial(credentials), Map.of(certificates.joinToken(),
                        new UserInfo(JoinToken.user(certificates.joinToken()), "", List.of(JoinToken.BOOTSTRAPPERS),
                                Map.of())),
                options.serviceCidr().toString(), ApiServerConfig.DEFAULT_NODE_PORT_RANGE,
                advertiseAddress.getHostAddress(), credentials.serviceAccountKey(),
                new NodeCertificates(credentials::ca, Clock.systemUTC()), options.eventTtl());
        apiServer = new ApiServer(config);
        try {
            apiServer.start();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            if (isAddressInUse(e)) {
                throw new IllegalStateException("port " + options.port() + " is already in use on "
                        + options.bindAddress().map(InetAddress::getHostAddress).orElse("all addresses")
                        + " (another konductor or Kubernetes API server? see 'konductor status', or choose --port)", e);
            }
            throw e;
        }
        URI url = serverUrl(apiServer.port());
        Kubeconfig.forAdmin(url, credentials).write(options.dataDir().kubeconfig());
        for (ClientIdentity component : certificates.components()) {
            Path file = options.dataDir().componentKubeconfig(component.file());
            Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Kubeconfig.forComponent(url, credentials, component).write(file);
        }
        serving = true;
    }

    @Override
    public boolean ready() {
        return serving;
    }

    /** The bound port; valid once ready. */
    public int port() {
        return apiServer.port();
    }

    @Override
    public void stop() {
        serving = false;
        ApiServer running = apiServer;
        if (running != null) {
            running.close();
        }
    }

    /** The URL the admin kubeconfig names: loopback unless the server listens on one address only. */
    URI serverUrl(int port) {
        InetAddress host = options.bindAddress().orElse(InetAddress.getLoopbackAddress());
        String literal = host instanceof Inet6Address ? "[" + host.getHostAddress() + "]" : host.getHostAddress();
        return URI.create("https://" + literal + ":" + port);
    }

    private static TlsMaterial tlsMaterial(ClusterCredentials credentials) {
        return new TlsMaterial(credentials.apiServer().key(),
                new X509Certificate[] {credentials.apiServer().certificate()},
                credentials.ca().certificate());
    }

    /** Netty's native transports report a busy port as their own exception type, not BindException. */
    private static boolean isAddressInUse(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException
                    || (cause.getMessage() != null && cause.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }
}
