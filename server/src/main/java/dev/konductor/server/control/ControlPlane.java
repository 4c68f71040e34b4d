package dev.konductor.server.control;

import dev.konductor.server.datadir.DataDirLock;
import dev.konductor.server.net.HostAddresses;
import dev.konductor.server.pki.ServingNames;
import dev.konductor.server.supervisor.Component;
import dev.konductor.server.supervisor.ComponentFailure;
import dev.konductor.server.supervisor.Supervisor;
import dev.konductor.kubelet.sim.SimSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code konductor server} runs, under a {@link Supervisor}, while holding the data
 * directory's lock: the store and the certificates (in parallel), then the API server, then the
 * controller manager, the scheduler and the local node. Those last three depend on
 * {@code apiserver} only: they reach it through a Kubernetes client, like any remote component.
 * With {@code --runtime cri} the local node is the image registry, a supervised containerd
 * (both independent of the API server, so they start alongside it) and a kubelet on top; with
 * {@code --runtime process} a kubelet whose containers are host processes.
 */
public final class ControlPlane implements AutoCloseable {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final ServerOptions options;
    private final ApiServerComponent apiServer;
    private final List<Component> components;
    private final Supervisor supervisor;
    private DataDirLock lock; // guarded by this

    public ControlPlane(ServerOptions options, HostAddresses host, StoreOpener storeOpener, Clock clock) {
        this.options = options;
        InetAddress advertiseAddress = options.advertiseAddress()
                .or(options::bindAddress)
                .orElseGet(host::defaultAdvertiseAddress);
        List<InetAddress> extraNames = new ArrayList<>();
        extraNames.add(advertiseAddress);
        options.bindAddress().ifPresent(extraNames::add);
        ServingNames servingNames = ServingNames.forApiServer(host, options.serviceCidr(), extraNames);

        StoreComponent store = new StoreComponent(storeOpener, options.datastore(), options.dataDir().root());
        CertificatesComponent certificates = new CertificatesComponent(options.dataDir(), servingNames, clock);
        this.apiServer = new ApiServerComponent(options, advertiseAddress, store, certificates);
        Path kubeconfig = options.dataDir().kubeconfig();
        List<Component> all = new ArrayList<>(List.of(store, certificates, apiServer,
                new ControllerManagerComponent(kubeconfig, clock),
                new SchedulerComponent(kubeconfig, options.schedulerConfig())));
        String nodeName = host.hostname().toLowerCase(java.util.Locale.ROOT);
        if (options.runtime() == NodeRuntime.CRI) {
            Path root = options.dataDir().root();
            ImageRegistryComponent registry = new ImageRegistryComponent(options.dataDir().images());
            String podCidr = options.podCidr().toString();
            InetAddress nodeIp = options.advertiseAddress().orElseGet(host::nodeAddress);
            List<String> podRoutes = new ArrayList<>(List.of(options.serviceCidr().toString()));
            if (nodeIp.getAddress().length == 4 && !nodeIp.isLoopbackAddress()) {
                podRoutes.add(nodeIp.getHostAddress() + "/32");
            }
            ContainerdComponent containerd = new ContainerdComponent(root, podCidr, podRoutes, registry);
            all.add(registry);
            all.add(containerd);
            all.add(new CriNodeComponent(kubeconfig, nodeName, podCidr, nodeIp, options.kubeletPort(),
                    root.resolve("kubelet"), certificates, containerd, clock));
        }
        if (options.runtime() == NodeRuntime.PROCESS) {
            all.add(new ProcessNodeComponent(kubeconfig, nodeName, options.podCidr().toString(),
                    options.advertiseAddress().orElseGet(host::nodeAddress), options.kubeletPort(), options.dataDir().root(),
                    certificates, clock));
        }
        if (options.runtime() == NodeRuntime.SIM) {
            all.add(new SimNodeComponent(kubeconfig, new SimSettings(nodeName, 1, "4", "8Gi", 110)));
        }
        this.components = List.copyOf(all);
        this.supervisor = new Supervisor(components, READY_TIMEOUT, STOP_TIMEOUT);
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
}
