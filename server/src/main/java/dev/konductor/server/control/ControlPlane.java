package dev.konductor.server.control;

import dev.konductor.controllers.nodeipam.NodeIpamSettings;
import dev.konductor.server.datadir.DataDirLock;
import dev.konductor.server.net.HostAddresses;
import dev.konductor.server.node.ClusterAccess;
import dev.konductor.server.node.NodeComponents;
import dev.konductor.server.node.NodeSpec;
import dev.konductor.server.pki.ClientIdentity;
import dev.konductor.server.pki.ServingNames;
import dev.konductor.server.supervisor.Component;
import dev.konductor.server.supervisor.ComponentFailure;
import dev.konductor.server.supervisor.Supervisor;
import dev.konductor.kubelet.sim.SimSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code konductor server} runs, under a {@link Supervisor}, while holding the data
 * directory's lock: the store, the certificates and the image registry (in parallel), then the
 * API server, then the controller manager, the scheduler, the published cluster configuration
 * and the local node. Those depend on {@code apiserver} only: they reach it through a
 * Kubernetes client, like any remote component. With {@code --runtime cri} the local node is
 * what an agent runs too ({@link NodeComponents}): containerd, kubelet, pod network, proxy, DNS
 * and ingress. With {@code --runtime process} the local node is a kubelet whose containers are
 * host processes.
 */
public final class ControlPlane implements AutoCloseable {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final ServerOptions options;
    private final ApiServerComponent apiServer;
    private final InetAddress advertiseAddress;
    private final List<Component> components;
    private final Supervisor supervisor;
    private DataDirLock lock; // guarded by this

    public ControlPlane(ServerOptions options, HostAddresses host, StoreOpener storeOpener, Clock clock) {
        this.options = options;
        // As upstream: the address of the default-route interface, which other machines can reach
        // (not whichever bridge of another cluster on this machine sorts first).
        InetAddress advertiseAddress = options.advertiseAddress()
                .or(options::bindAddress)
                .orElseGet(host::nodeAddress);
        this.advertiseAddress = advertiseAddress;
        List<InetAddress> extraNames = new ArrayList<>();
        extraNames.add(advertiseAddress);
        options.bindAddress().ifPresent(extraNames::add);
        ServingNames servingNames = ServingNames.forApiServer(host, options.serviceCidr(), extraNames);

        StoreComponent store = new StoreComponent(storeOpener, options.datastore(), options.dataDir().root());
        String nodeName = host.hostname().toLowerCase(java.util.Locale.ROOT);
        CertificatesComponent certificates = new CertificatesComponent(options.dataDir(), servingNames,
                identities(options.runtime(), nodeName), clock);
        this.apiServer = new ApiServerComponent(options, advertiseAddress, store, certificates);
        // the cluster configuration is published with the admin's credentials, as kubeadm
        // publishes cluster-info with admin.conf
        Path kubeconfig = options.dataDir().kubeconfig();
        Path nodeKubeconfig = kubeconfigOf(ClientIdentity.node(nodeName));
        ImageRegistryComponent registry = new ImageRegistryComponent(options.dataDir().images(), options.bindAddress());
        List<Component> all = new ArrayList<>(List.of(store, certificates, apiServer,
                new ControllerManagerComponent(kubeconfigOf(ClientIdentity.controllerManager()), certificates,
                        options.storageDir(), NodeIpamSettings.of(options.clusterCidr().toString(),
                        ServerOptions.NODE_CIDR_MASK_SIZE, 64), clock),
                new SchedulerComponent(kubeconfigOf(ClientIdentity.scheduler()), options.schedulerConfig()),
                registry, new ClusterConfigComponent(kubeconfig, options, advertiseAddress, registry)));
        if (options.runtime() == NodeRuntime.CRI) {
            InetAddress nodeIp = options.advertiseAddress().orElseGet(host::nodeAddress);
            NodeSpec node = new NodeSpec(nodeName, nodeIp, options.kubeletPort(), options.dataDir().root(),
                    options.serviceCidr(), options.clusterCidr(), options.clusterDns(), options.ingressPorts());
            all.addAll(NodeComponents.cri(node, new LocalAccess(nodeKubeconfig,
                    kubeconfigOf(ClientIdentity.kubeProxy()), certificates, registry), clock));
        }
        if (options.runtime() == NodeRuntime.PROCESS) {
            all.add(new ProcessNodeComponent(nodeKubeconfig, nodeName,
                    options.advertiseAddress().orElseGet(host::nodeAddress), options.kubeletPort(), options.dataDir().root(),
                    certificates, clock));
        }
        if (options.runtime() == NodeRuntime.SIM) {
            all.add(new SimNodeComponent(nodeKubeconfig, new SimSettings(nodeName, 1, "4", "8Gi", 110)));
        }
        this.components = List.copyOf(all);
        this.supervisor = new Supervisor(components, READY_TIMEOUT, STOP_TIMEOUT);
    }

    /**
     * Who the server's components are to the API server, as upstream's: the controller manager
     * and the scheduler under their users, the local node as {@code system:node:<name>} and its
     * service proxy as {@code system:kube-proxy}.
     */
    static List<ClientIdentity> identities(NodeRuntime runtime, String nodeName) {
        List<ClientIdentity> identities = new ArrayList<>(
                List.of(ClientIdentity.controllerManager(), ClientIdentity.scheduler()));
        if (runtime != NodeRuntime.NONE) {
            identities.add(ClientIdentity.node(nodeName));
        }
        if (runtime == NodeRuntime.CRI) {
            identities.add(ClientIdentity.kubeProxy());
        }
        return identities;
    }

    private Path kubeconfigOf(ClientIdentity identity) {
        return options.dataDir().componentKubeconfig(identity.file());
    }

    public List<Component> components() {
        return components;
    }

    /**
     * Locks the data directory and starts every component; returns once all are ready (true) or
     * once {@link #close()} was called meanwhile (false).
     *
     * @throws IllegalStateException if another server holds the data directory
     * @throws ComponentFailure      if a component fails to start
     */
    public boolean start() throws ComponentFailure, InterruptedException {
        synchronized (this) {
            lock = DataDirLock.acquire(options.dataDir());
        }
        return supervisor.start();
    }

    /** Where other machines reach the API server and the registry. */
    public InetAddress advertiseAddress() {
        return advertiseAddress;
    }

    /** The API server's bound port; valid once started. */
    public int port() {
        return apiServer.port();
    }

    /** Blocks until a component dies (returned) or {@link #close()} is called (empty). */
    public Optional<ComponentFailure> awaitTermination() throws InterruptedException {
        return supervisor.awaitTermination();
    }

    /** Stops every component, newest first, then releases the data directory. Idempotent. */
    @Override
    public void close() {
        supervisor.stop();
        synchronized (this) {
            if (lock != null) {
                lock.close();
                lock = null;
            }
        }
    }

    /**
     * The server's own node reaches the cluster as {@code system:node:<name>} (its proxy as
     * {@code system:kube-proxy}), with certificates the server issues it directly, and the
     * registry on loopback.
     */
    private record LocalAccess(Path kubeconfig, Path proxyKubeconfig, CertificatesComponent certificates,
                               ImageRegistryComponent registry) implements ClusterAccess {
        @Override
        public Set<String> components() {
            return Set.of(ApiServerComponent.NAME, ImageRegistryComponent.NAME);
        }

        @Override
        public X509Certificate clusterCa() {
            return certificates.credentials().ca().certificate();
        }

        @Override
        public String registryUrl() {
            return registry.url();
        }
    }
}
