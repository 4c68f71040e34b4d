package dev.konductor.server.cli;

import dev.konductor.apiserver.ApiServerConfig;
import dev.konductor.server.KonductorVersion;
import dev.konductor.server.control.ControlPlane;
import dev.konductor.server.control.NodeRuntime;
import dev.konductor.server.control.ServerOptions;
import dev.konductor.server.control.StoreOpener;
import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.net.Cidr;
import dev.konductor.server.net.HostAddresses;
import dev.konductor.server.node.IngressPorts;
import dev.konductor.server.supervisor.ComponentFailure;
import dev.konductor.store.Stores;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code konductor server}: the control plane in the foreground, until SIGTERM or SIGINT (then
 * every component stops, newest first) or until a component dies (then exit status 1).
 */
@Command(name = "server", description = "Run the control plane in the foreground.", mixinStandardHelpOptions = true)
public final class ServerCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--port", defaultValue = "6443", description = "HTTPS port of the API server; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind-address", paramLabel = "IP", defaultValue = "0.0.0.0", converter = OptionConverters.IpAddress.class,
            description = "Address to listen on; 0.0.0.0 or :: for all, IPv4 and IPv6 (default: ${DEFAULT-VALUE}).")
    InetAddress bindAddress;

    @Option(names = "--datastore", defaultValue = "sqlite", converter = OptionConverters.Datastore.class,
            description = "sqlite (embedded, in the data directory) or etcd://host:port[,host:port...] (default: ${DEFAULT-VALUE}).")
    String datastore;

    @Option(names = "--runtime", defaultValue = "auto",
            description = "Node agent runtime: cri (real containers), process (containers as host processes, no root"
                    + " needed), sim (simulated pods), none (no node), or auto: cri where this machine can run it, else"
                    + " process, else sim (default: ${DEFAULT-VALUE}).")
    NodeRuntime runtime;

    @Option(names = "--kubelet-port", defaultValue = "" + ServerOptions.DEFAULT_KUBELET_PORT,
            description = "HTTPS port of the local node's kubelet with --runtime cri or process; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int kubeletPort;

    @Option(names = "--cluster-cidr", paramLabel = "CIDR", defaultValue = ServerOptions.DEFAULT_CLUSTER_CIDR,
            converter = OptionConverters.ServiceCidr.class,
            description = "Pod IP range of the cluster; every node, the local one too, gets a /24 of it (default: ${DEFAULT-VALUE}).")
    Cidr clusterCidr;

    @Option(names = "--service-cidr", paramLabel = "CIDR", defaultValue = ApiServerConfig.DEFAULT_SERVICE_CIDR,
            converter = OptionConverters.ServiceCidr.class,
            description = "ClusterIP range of Services (default: ${DEFAULT-VALUE}).")
    Cidr serviceCidr;

    @Option(names = "--advertise-address", paramLabel = "IP", converter = OptionConverters.IpAddress.class,
            description = "Address published for the API server (default: the bind address, else this host's first IPv4 address).")
    InetAddress advertiseAddress;

    @Option(names = "--scheduler-config", paramLabel = "FILE",
            description = "A KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) for the scheduler, e.g. to pick the MostAllocated scoring strategy.")
    java.nio.file.Path schedulerConfig;

    @Option(names = "--storage-dir", paramLabel = "DIR",
            description = "Where on each node the default StorageClass 'standard' makes its volumes (default: DATA-DIR/storage).")
    java.nio.file.Path storageDir;

    @Option(names = "--ingress-http-port", paramLabel = "PORT",
            description = "HTTP port of the local node's Ingress controller with --runtime cri (default: 80 as root, else 8080).")
    Integer ingressHttpPort;

    @Option(names = "--ingress-https-port", paramLabel = "PORT",
            description = "HTTPS port of the local node's Ingress controller; -1 for none (default: 443 as root, else 8443).")
    Integer ingressHttpsPort;

    @Option(names = "--event-ttl", paramLabel = "DURATION", defaultValue = "1h", converter = OptionConverters.GoDuration.class,
            description = "How long an event is kept after its last write, as upstream's --event-ttl (default: ${DEFAULT-VALUE}).")
    Duration eventTtl;

    private final StoreOpener storeOpener;

    public ServerCommand() {
        this(Stores::open);
    }

    ServerCommand(StoreOpener storeOpener) {
        this.storeOpener = storeOpener;
    }

    /** The validated options; also what tests check the parsing against. */
    ServerOptions options() {
        NodeRuntime.Choice choice = runtime.resolve();
        if (runtime == NodeRuntime.AUTO) {
            log.info("runtime=auto chose {}: {}", choice.runtime(), choice.reason());
        }
        try {
            return new ServerOptions(dataDir.dataDir(), Optional.of(bindAddress), port, datastore, choice.runtime(),
                    serviceCidr, Optional.ofNullable(advertiseAddress), Optional.ofNullable(schedulerConfig), kubeletPort,
                    clusterCidr, storageDir, IngressPorts.of(ingressHttpPort, ingressHttpsPort), eventTtl);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        ServerOptions options = options();
        log.info("starting konductor server version={} dataDir={} port={} bindAddress={} datastore={} runtime={} serviceCidr={}",
                KonductorVersion.current().version(), options.dataDir().root(), options.port(),
                bindAddress.getHostAddress(), options.datastore(), options.runtime(), options.serviceCidr());
        DataDir.create(options.dataDir().root());
        try (ControlPlane controlPlane = new ControlPlane(options, HostAddresses.discover(), storeOpener, Clock.systemUTC())) {
            Thread shutdown = Thread.ofPlatform().name("shutdown").unstarted(() -> {
                log.info("shutting down");
                controlPlane.close();
            });
            Runtime.getRuntime().addShutdownHook(shutdown);
            try {
                if (!controlPlane.start()) {
                    return 0; // told to stop while starting
                }
                log.info("konductor server ready port={} kubeconfig={} sinceProcessStartMs={}",
                        controlPlane.port(), options.dataDir().kubeconfig(), millisSinceProcessStart());
                log.info("nodes join with: konductor agent --server https://{}:{} --token-file {}",
                        controlPlane.advertiseAddress().getHostAddress(), controlPlane.port(), options.dataDir().nodeToken());
                Optional<ComponentFailure> failure = controlPlane.awaitTermination();
                if (failure.isPresent()) {
                    return fail(failure.get());
                }
                return 0;
            } catch (ComponentFailure failure) {
                return fail(failure);
            } finally {
                removeQuietly(shutdown);
            }
        }
    }

    private int fail(ComponentFailure failure) {
        spec.commandLine().getErr().println("konductor: " + failure.getMessage());
        spec.commandLine().getErr().flush();
        return 1;
    }

    /**
     * Milliseconds since this process started (the launcher's shell, which the JVM replaced).
     * Read as two clocks since boot, both in /proc: ProcessHandle's start instant adds the boot
     * time, which the kernel gives in whole seconds, so it could be off by up to a second.
     */
    private static long millisSinceProcessStart() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(fields[22 - 3]); // field 22, starttime, in USER_HZ (100) ticks
            double uptimeSeconds = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            return Math.round(uptimeSeconds * 1000) - startTicks * 10;
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().info().startInstant()
                    .map(started -> Duration.between(started, Instant.now()).toMillis())
                    .orElse(-1L);
        }
    }

    private static void removeQuietly(Thread shutdownHook) {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or has run: it stops the control plane itself.
        }
    }
}
