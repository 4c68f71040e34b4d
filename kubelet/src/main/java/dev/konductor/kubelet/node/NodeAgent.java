package dev.konductor.kubelet.node;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.kubelet.events.KubeletEvents;
import dev.konductor.kubelet.host.Filesystem;
import dev.konductor.kubelet.host.HostFiles;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the node and keeps it alive as upstream's kubelet does: the Node object (created, or
 * adopted if it exists), its Lease renewed every 10 s ({@link NodeLease}), and its status
 * ({@link NodeStatuses}) posted every {@link #STATUS_PERIOD} when anything but heartbeat times
 * changed and at least every {@link #REPORT_PERIOD} (upstream's nodeStatusUpdateFrequency and
 * nodeStatusReportFrequency). Readiness is checked every second (every 100 ms until the node is
 * first Ready, as upstream's kubelet does at its start) and a flip is posted at once, so
 * a container runtime that stops answering shows within a second or two; the runtime is asked on
 * a thread of its own ({@link RuntimeProbe}), so one that hangs never holds up the lease. Pressure
 * readings (memory, filesystems, process ids) are taken every status period. Node events go out
 * as the conditions change, plus {@code Starting} and {@code Rebooted} at registration.
 */
public final class NodeAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
    static final Duration TICK = Duration.ofSeconds(1);
    /** The tick until the node has been posted Ready once: as often as the runtime is asked then. */
    static final Duration STARTUP_TICK = RuntimeProbe.STARTUP_STATUS_PERIOD;
    static final Duration STATUS_PERIOD = Duration.ofSeconds(10);
    static final Duration REPORT_PERIOD = Duration.ofMinutes(5);
    /** The node annotation that says how its pods run when the runtime does not isolate them. */
    public static final String RUNTIME_NOTICE = "konductor.dev/runtime-notice";

    /**
     * @param podCidr   the pod range to publish, or empty to leave it to the node IPAM controller
     * @param addresses InternalIP and Hostname addresses, in that order
     */
    public record Settings(String nodeName, java.util.Optional<String> podCidr, List<NodeAddress> addresses, int kubeletPort,
                           String kubeletVersion, Path rootDir) {
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final RuntimeProbe runtime;
    private final Optional<String> runtimeNotice;
    private final Supplier<Readiness> kubeletReadiness;
    private final KubeletEvents events;
    private final Clock clock;
    private final NodeStatuses.Description description;
    private final NodeLease lease;
    private final HostFiles host = new HostFiles();
    private final PressureTracker pressureTracker = new PressureTracker(PressureTracker.TRANSITION_PERIOD);
    private volatile boolean closed;
    private volatile Node node;
    private Thread thread;
    // written by the agent's thread (and register() before it starts)
    private NodeStatus lastPosted;
    /** Whether the node has been posted Ready since this agent started; until then it ticks fast. */
    private volatile boolean everPostedReady;
    private Instant lastPostedAt = Instant.EPOCH;
    private Set<Pressure> pressures = Set.of();

    /**
     * @param kubeletReadiness the kubelet's own health (e.g. the PLEG relisting) besides the runtime's
     */
    public NodeAgent(KubernetesClient client, Settings settings, ContainerRuntime runtime,
                     Supplier<Readiness> kubeletReadiness, KubeletEvents events, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.runtime = new RuntimeProbe(runtime);
        this.runtimeNotice = runtime.isolationNotice();
        this.kubeletReadiness = kubeletReadiness;
        this.events = events;
        this.clock = clock;
        MachineInfo machine = MachineInfo.read(settings.rootDir());
        this.description = new NodeStatuses.Description(machine, NodeResources.of(machine, NodeResources.MAX_PODS,
                Reserved.NONE, EvictionThresholds.DEFAULT), settings.addresses(), settings.kubeletPort(),
                settings.kubeletVersion());
        this.lease = new NodeLease(client, settings.nodeName(), clock);
    }

    /** Creates or adopts the Node, posts its first status and lease; blocks until done. */
    public synchronized void register() {
        Node wanted = NodeStatuses.registration(settings.nodeName(), settings.podCidr().orElse(null), Map.of());
        runtimeNotice.ifPresent(notice -> wanted.getMetadata().getAnnotations().put(RUNTIME_NOTICE, notice));
        Node registered;
        try {
            registered = client.nodes().resource(wanted).create();
            log.info("registered node name={}", settings.nodeName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            registered = client.nodes().withName(settings.nodeName()).get();
            if (settings.podCidr().isPresent() && (registered.getSpec() == null || registered.getSpec().getPodCIDR() == null)) {
                String cidr = settings.podCidr().get();
                registered = client.nodes().withName(settings.nodeName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"podCIDR\":\"" + cidr + "\",\"podCIDRs\":[\"" + cidr + "\"]}}");
            }
            log.info("node already registered name={}", settings.nodeName());
            registered = noticeUpToDate(registered);
        }
        node = registered;
        record(KubeletEvents.NORMAL, "Starting", "Starting kubelet.");
        runtimeNotice.ifPresent(notice -> record(KubeletEvents.NORMAL, "HostProcesses", notice));
        String oldBoot = registered.getStatus() == null || registered.getStatus().getNodeInfo() == null ? null
                : registered.getStatus().getNodeInfo().getBootID();
        String boot = description.machine().bootId();
        if (oldBoot != null && !oldBoot.isEmpty() && !oldBoot.equals(boot)) {
            record(KubeletEvents.WARNING, "Rebooted", "Node " + settings.nodeName() + " has been rebooted, boot id: " + boot);
        }
        lastPosted = registered.getStatus();
        runtime.refresh();
        takeReadings();
        Readiness readiness = readiness();
        // A starting kubelet builds its node's conditions afresh, so it says how each pressure
        // condition stands even when the posted ones do not change (as upstream's does).
        Set<String> fresh = new LinkedHashSet<>();
        NodeStatuses.status(null, description, runtime.info(), pressures, readiness, clock.instant()).events()
                .forEach(e -> fresh.add(e.reason()));
        post(readiness, true, fresh);
        lease.renew(registered.getMetadata().getUid());
    }

    /** An adopted Node says what this runtime says of its pods, and nothing an earlier runtime said. */
    private Node noticeUpToDate(Node registered) {
        Map<String, String> annotations = registered.getMetadata().getAnnotations();
        String current = annotations == null ? null : annotations.get(RUNTIME_NOTICE);
        if (Objects.equals(current, runtimeNotice.orElse(null))) {
            return registered;
        }
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        ObjectNode change = patch.putObject("metadata").putObject("annotations");
        runtimeNotice.ifPresentOrElse(notice -> change.put(RUNTIME_NOTICE, notice), () -> change.putNull(RUNTIME_NOTICE));
        return client.nodes().withName(settings.nodeName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    }

    /** The Node as registered (uid, labels), for what the kubelet writes about it. */
    public Node node() {
        return node;
    }

    public void start() {
        runtime.start();
        thread = Thread.ofVirtual().name("node-agent").start(this::run);
    }

    private void run() {
        Instant nextLease = clock.instant().plus(NodeLease.RENEW_INTERVAL);
        Instant nextStatus = clock.instant().plus(STATUS_PERIOD);
        while (!closed) {
            try {
                Thread.sleep(everPostedReady ? TICK : STARTUP_TICK);
            } catch (InterruptedException e) {
                return;
            }
            Instant now = clock.instant();
            try {
                if (!now.isBefore(nextLease)) {
                    nextLease = now.plus(NodeLease.RENEW_INTERVAL);
                    lease.renew(node.getMetadata().getUid());
                }
            } catch (RuntimeException e) {
                log.warn("node lease renewal failed node={}: {}", settings.nodeName(), e.getMessage());
            }
            try {
                Readiness readiness = readiness();
                boolean due = !now.isBefore(nextStatus);
                if (due) {
                    nextStatus = now.plus(STATUS_PERIOD);
                    takeReadings();
                }
                if (due || readiness.ready() != readyOf(lastPosted)) {
                    post(readiness, false, Set.of());
                }
            } catch (RuntimeException e) {
                log.warn("node status update failed node={}: {}", settings.nodeName(), e.getMessage());
            }
        }
    }

    /**
     * Posts the status when it changed (heartbeats aside), when {@code force}, or when the report
     * period has passed; then records the node events of the change (and {@code extraEvents}).
     */
    private synchronized void post(Readiness readiness, boolean force, Set<String> extraEvents) {
        Instant now = clock.instant();
        NodeStatuses.Update update = NodeStatuses.status(lastPosted, description, runtime.info(), pressures, readiness, now);
        boolean reportDue = Duration.between(lastPostedAt, now).compareTo(REPORT_PERIOD) >= 0;
        if (!force && !reportDue && sameIgnoringHeartbeats(update.status(), lastPosted)) {
            return;
        }
        client.nodes().withName(settings.nodeName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":" + Serialization.asJson(update.status()) + "}");
        if (readiness.ready() != readyOf(lastPosted)) {
            log.info("node {} is now {}{}", settings.nodeName(), readiness.ready() ? "Ready" : "NotReady",
                    readiness.ready() ? "" : ": " + readiness.message());
        }
        lastPosted = update.status();
        lastPostedAt = now;
        everPostedReady |= readiness.ready();
        Set<String> reasons = new LinkedHashSet<>(extraEvents);
        update.events().forEach(e -> reasons.add(e.reason()));
        for (String reason : reasons) {
            record(KubeletEvents.NORMAL, reason, "Node " + settings.nodeName() + " status is now: " + reason);
        }
    }

    /** The runtime's readiness, then the kubelet's own. */
    private Readiness readiness() {
        return runtime.readiness().and(kubeletReadiness.get());
    }

    /** Refreshes the pressures from this machine's readings. */
    private void takeReadings() {
        Optional<Filesystem> nodefs = Filesystem.of(settings.rootDir());
        Optional<Filesystem> imagefs = runtime.imageFilesystem().flatMap(Filesystem::of).or(() -> nodefs);
        NodeReadings readings = new NodeReadings(host.memInfo(), nodefs, imagefs, host.pids());
        pressures = pressureTracker.observe(EvictionThresholds.DEFAULT.crossed(readings), clock.instant());
    }

    private void record(String type, String reason, String message) {
        ObjectReference ref = new ObjectReferenceBuilder().withKind("Node").withName(settings.nodeName())
                .withUid(settings.nodeName()).build(); // upstream's kubelet refers to its node by name, uid included
        events.record(ref, type, reason, message);
    }

    private static boolean readyOf(NodeStatus status) {
        return status != null && NodeConditions.find(status.getConditions(), "Ready")
                .map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    static boolean sameIgnoringHeartbeats(NodeStatus a, NodeStatus b) {
        if (b == null) {
            return false;
        }
        NodeStatus x = Serialization.clone(a);
        NodeStatus y = Serialization.clone(b);
        for (NodeStatus s : List.of(x, y)) {
            if (s.getConditions() != null) {
                for (NodeCondition c : s.getConditions()) {
                    c.setLastHeartbeatTime(null);
                }
            }
        }
        return Objects.equals(x, y);
    }

    @Override
    public void close() {
        closed = true;
        runtime.close();
        if (thread != null) {
            thread.interrupt();
        }
    }
}
