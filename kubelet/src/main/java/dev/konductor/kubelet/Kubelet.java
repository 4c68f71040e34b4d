package dev.konductor.kubelet;

import dev.konductor.api.dns.PodDns;
import dev.konductor.api.dns.ResolvConf;
import dev.konductor.kubelet.containerd.ContainerdProcess;
import dev.konductor.kubelet.events.KubeletEvents;
import dev.konductor.kubelet.env.EnvResolver;
import dev.konductor.kubelet.host.HostFiles;
import dev.konductor.kubelet.metrics.MetricsPublisher;
import dev.konductor.kubelet.metrics.ResourceMetricsCollector;
import dev.konductor.kubelet.node.NodeAgent;
import dev.konductor.kubelet.node.Readiness;
import dev.konductor.kubelet.objects.ApiObjectSource;
import dev.konductor.kubelet.pods.ContainerOptions;
import dev.konductor.kubelet.pods.GoDurations;
import dev.konductor.kubelet.pods.PodSyncer;
import dev.konductor.kubelet.pods.PodWorkers;
import dev.konductor.kubelet.pods.Pleg;
import dev.konductor.kubelet.pods.RuntimePodSyncHandler;
import dev.konductor.kubelet.prober.Handlers;
import dev.konductor.kubelet.prober.ProbeManager;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.kubelet.runtime.ContainerState;
import dev.konductor.kubelet.runtime.PodRuntimeState;
import dev.konductor.kubelet.runtime.RuntimeStates;
import dev.konductor.kubelet.server.KubeletServer;
import dev.konductor.kubelet.server.LogSource;
import dev.konductor.kubelet.server.ServingCertificate;
import dev.konductor.kubelet.status.PodStatuses;
import dev.konductor.kubelet.status.StatusManager;
import dev.konductor.kubelet.streaming.ContainerStreams;
import dev.konductor.kubelet.token.ApiTokenRequester;
import dev.konductor.kubelet.token.TokenManager;
import dev.konductor.kubelet.volumes.PodDirectories;
import dev.konductor.kubelet.volumes.Mounter;
import dev.konductor.kubelet.volumes.SystemMounter;
import dev.konductor.kubelet.volumes.UnprivilegedMounter;
import dev.konductor.kubelet.volumes.VolumeHost;
import dev.konductor.kubelet.volumes.VolumeManager;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: registers its Node and keeps it alive ({@link NodeAgent}), watches the pods
 * bound to it (and only those: a field selector on {@code spec.nodeName}), runs one
 * {@link PodWorkers worker} per pod against the container runtime, probes their containers
 * ({@link ProbeManager}), writes their status
 * ({@link StatusManager}), notices container changes within a second ({@link Pleg}), serves
 * logs, exec, attach and port-forward over HTTPS ({@link KubeletServer}, {@link ContainerStreams}),
 * publishes the node's and its pods' resource metrics ({@link ResourceMetricsCollector}) and removes
 * from the runtime what belongs to no pod.
 * Everything goes through the API server, like any remote kubelet.
 */
public final class Kubelet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Kubelet.class);
    static final Duration HOUSEKEEPING = Duration.ofSeconds(10);
    static final Duration PLEG_UNHEALTHY = Duration.ofMinutes(3);
    /** The cluster's DNS domain (pods' FQDNs in /etc/hosts), as upstream's default clusterDomain. */
    static final String CLUSTER_DOMAIN = "cluster.local";

    private final KubernetesClient client;
    private final ContainerRuntime runtime;
    private final KubeletSettings settings;
    private final Clock clock;
    private final StatusManager statuses;
    private final KubeletEvents events;
    private final PodWorkers workers;
    private final ProbeManager probes;
    private final Pleg pleg;
    private final ApiObjectSource objects;
    private final VolumeManager volumes;
    private SharedIndexInformer<Pod> informer;
    private NodeAgent node;
    private ResourceMetricsCollector metrics;
    private KubeletServer server;
    private Thread housekeeping;
    private volatile String runtimeName = PodStatuses.DEFAULT_RUNTIME;
    private volatile boolean closed;

    public Kubelet(KubernetesClient client, ContainerRuntime runtime, KubeletSettings settings, Clock clock) {
        this.client = client;
        this.runtime = runtime;
        this.settings = settings;
        this.clock = clock;
        this.statuses = new StatusManager(client, this::currentUid);
        this.events = new KubeletEvents(client, settings.nodeName(), clock);
        List<String> hostIps = settings.nodeIps().stream().map(InetAddress::getHostAddress).toList();
        this.objects = new ApiObjectSource(client, settings.nodeName(), clock);
        this.volumes = new VolumeManager(new VolumeHost(new PodDirectories(settings.podLogs()), objects,
                new TokenManager(new ApiTokenRequester(client), clock), mounter(), clock));
        ContainerOptions options = new ContainerOptions(new EnvResolver(objects, hostIps), volumes, CLUSTER_DOMAIN);
        this.probes = new ProbeManager(new Handlers(runtime), events::record, this::probeVerdictChanged, clock,
                hostIps);
        PodSyncer syncer = new PodSyncer(runtime, events, probes, settings.podLogs(), volumes, options,
                podDns(settings.dns(), hostIps), clock);
        this.workers = new PodWorkers(new RuntimePodSyncHandler(syncer, statuses, probes, client, events, () -> hostIps,
                () -> runtimeName, settings.podLogs(), clock), clock);
        this.pleg = new Pleg(runtime, workers::signal);
    }

    /** The node's resolver settings for PodDns; an unreadable host file counts as none, with a warning. */
    static PodDns.Node podDns(KubeletSettings.ClusterDns dns, List<String> hostIps) {
        Optional<ResolvConf> host = dns.resolvConf().flatMap(file -> {
            try {
                return Optional.of(ResolvConf.parse(Files.readString(file)));
            } catch (IOException e) {
                log.warn("cannot read resolv.conf file={} error={}; pods on the host's DNS get the node's resolver",
                        file, e.getMessage());
                return Optional.empty();
            }
        });
        return new PodDns.Node(dns.servers(), dns.domain(), host, hostIps);
    }

    /** Starts everything; returns once the node is registered and the pod watch has synced. */
    public void start() throws IOException, InterruptedException {
        Files.createDirectories(settings.podLogs());
        String name = runtime.version().getRuntimeName(); // fails fast when the runtime is not there
        runtimeName = name.isEmpty() ? PodStatuses.DEFAULT_RUNTIME : name;
        ServingCertificate certificate = ServingCertificate.loadOrCreate(settings.pki(), settings.nodeName(),
                settings.nodeIps(), clock);
        server = KubeletServer.start(new InetSocketAddress(settings.bindAddress(), settings.port()), certificate,
                settings.clientCa(), this::findLog, new ContainerStreams(runtime, this::findPod));
        node = new NodeAgent(client, new NodeAgent.Settings(settings.nodeName(), settings.podCidr(), addresses(),
                server.port(), settings.kubeletVersion(), settings.rootDir()), runtime, this::ownReadiness, events, clock);
        node.register();
        node.start();
        statuses.start();
        pleg.start();
        objects.start();
        informer = client.pods().inAnyNamespace().withField("spec.nodeName", settings.nodeName())
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        workers.update(pod);
                    }

                    @Override
                    public void onUpdate(Pod oldPod, Pod newPod) {
                        workers.update(newPod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                        workers.deleted(pod);
                    }
                }, 0);
        housekeeping = Thread.ofVirtual().name("kubelet-housekeeping").start(this::housekeep);
        metrics = new ResourceMetricsCollector(runtime, new HostFiles(), new MetricsPublisher(client), node::node,
                () -> informer.getStore().list(), clock, ResourceMetricsCollector.INTERVAL);
        metrics.start();
        log.info("kubelet started node={} port={} podCidr={} clusterDns={}", settings.nodeName(), server.port(),
                settings.podCidr().orElse("(from the node IPAM controller)"), settings.dns().servers());
    }

    public int port() {
        return server.port();
    }

    public String nodeName() {
        return settings.nodeName();
    }

    private List<NodeAddress> addresses() {
        List<NodeAddress> out = new ArrayList<>();
        for (InetAddress ip : settings.nodeIps()) {
            out.add(new NodeAddress(ip.getHostAddress(), "InternalIP"));
        }
        out.add(new NodeAddress(settings.nodeName(), "Hostname"));
        return out;
    }

    /** The kubelet's own part of the node's readiness: its PLEG relisting, as upstream's health check. */
    private Readiness ownReadiness() {
        Duration since = pleg.lastRelist();
        if (since.compareTo(PLEG_UNHEALTHY) > 0) {
            return Readiness.notReady("PLEG is not healthy: pleg was last seen active "
                    + GoDurations.format(since.truncatedTo(ChronoUnit.MILLIS)) + " ago; threshold is "
                    + GoDurations.format(PLEG_UNHEALTHY));
        }
        return Readiness.READY;
    }

    private Optional<String> currentUid(String namespace, String name) {
        if (informer == null) {
            return Optional.empty();
        }
        Pod pod = informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
        return Optional.ofNullable(pod).map(p -> p.getMetadata().getUid());
    }

    /** A probe's verdict changed: the pod's worker rewrites its status (readiness) or restarts a container (liveness). */
    private void probeVerdictChanged(String podUid) {
        workers.signal(podUid);
    }

    /**
     * Removes what the runtime and the node hold for pods the API no longer has (deleted while the
     * kubelet was away): containers, sandboxes, volumes and pod directories.
     */
    private void housekeep() {
        while (!closed) {
            try {
                Thread.sleep(HOUSEKEEPING);
            } catch (InterruptedException e) {
                return;
            }
            if (informer == null || !informer.hasSynced()) {
                continue;
            }
            try {
                // Listed before the known pods, so that a pod arriving meanwhile is known by then.
                List<String> onDisk = volumes.podsOnDisk();
                Set<String> known = new HashSet<>();
                informer.getStore().list().forEach(p -> known.add(p.getMetadata().getUid()));
                known.addAll(workers.active());
                for (String uid : pleg.podUids()) {
                    if (!known.contains(uid)) {
                        workers.removeOrphan(uid);
                    }
                }
                workers.forgetRemoved(known);
                volumes.removeOrphans(onDisk, known);
            } catch (RuntimeException e) {
                log.warn("housekeeping failed: {}", e.getMessage());
            }
        }
    }

    /** A pod bound to this node, from the watch. */
    private Optional<Pod> findPod(String namespace, String name) {
        return informer == null ? Optional.empty()
                : Optional.ofNullable(informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
    }

    /** The log file of a container of a pod on this node (the current or the previous instance). */
    private LogSource.Target findLog(String namespace, String podName, String container, boolean previous)
            throws LogSource.NotFound {
        Pod pod = informer == null ? null : informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, podName));
        if (pod == null) {
            throw new LogSource.NotFound("pod " + namespace + "/" + podName + " not found on node " + settings.nodeName());
        }
        PodRuntimeState state = RuntimeStates.observe(runtime, pod.getMetadata().getUid());
        Optional<ContainerState> found = previous ? state.previous(container) : state.latest(container);
        if (found.isEmpty()) {
            throw new LogSource.NotFound(previous
                    ? "previous terminated container \"" + container + "\" in pod \"" + podName + "\" not found"
                    : "container \"" + container + "\" in pod \"" + podName + "\" is not available");
        }
        ContainerState c = found.get();
        Path file = Path.of(c.logPath());
        return new LogSource.Target(file, () -> {
            try {
                return runtime.containerStatus(c.id()).getState() == dev.konductor.kubelet.cri.v1.ContainerState.CONTAINER_RUNNING;
            } catch (ContainerRuntime.RuntimeException e) {
                return false;
            }
        });
    }

    /**
     * The node goes down with its containers (the server removes them after this kubelet): its
     * memory-backed volumes are unmounted, as a reboot would end them. Call after {@link #close}.
     */
    public void unmountVolumes() {
        volumes.unmountAll();
    }

    /** Without root, tmpfs volumes stay plain directories (the process runtime run by a user). */
    private static Mounter mounter() {
        return ContainerdProcess.runningAsRoot() ? new SystemMounter() : new UnprivilegedMounter();
    }

    @Override
    public void close() {
        closed = true;
        if (informer != null) {
            informer.close();
        }
        if (housekeeping != null) {
            housekeeping.interrupt();
        }
        if (metrics != null) {
            metrics.close();
        }
        workers.close();
        probes.close();
        pleg.close();
        statuses.close();
        events.close();
        objects.close();
        if (node != null) {
            node.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
