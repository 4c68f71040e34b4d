package dev.konductor.kubelet.node;

import dev.konductor.kubelet.cri.v1.Image;
import dev.konductor.kubelet.cri.v1.RuntimeCondition;
import dev.konductor.kubelet.cri.v1.StatusResponse;
import dev.konductor.kubelet.cri.v1.VersionResponse;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the node and keeps it alive as upstream's kubelet: the Node object (created, or
 * adopted if it exists), its status every {@link #STATUS_PERIOD} when anything but heartbeat
 * times changed and at least every {@link #REPORT_PERIOD}, and the Lease in
 * {@code kube-node-lease} renewed every {@link #LEASE_RENEW} (duration 40 s).
 */
public final class NodeAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
    static final Duration STATUS_PERIOD = Duration.ofSeconds(10);
    static final Duration REPORT_PERIOD = Duration.ofMinutes(1);
    static final Duration LEASE_RENEW = Duration.ofSeconds(10);
    static final int LEASE_DURATION_SECONDS = 40;
    static final String LEASE_NAMESPACE = "kube-node-lease";
    static final int MAX_IMAGES = 50;

    /**
     * @param podCidr   the pod range to publish, or empty to leave it to the node IPAM controller
     * @param addresses InternalIP and Hostname addresses, in that order
     */
    public record Settings(String nodeName, java.util.Optional<String> podCidr, List<NodeAddress> addresses, int kubeletPort,
                           String kubeletVersion, Path rootDir) {
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final ContainerRuntime runtime;
    private final Supplier<NodeStatuses.RuntimeHealth> extraHealth;
    private final Clock clock;
    private final MachineInfo machine;
    private volatile boolean closed;
    private Thread thread;
    private NodeStatus lastPosted;
    private Instant lastPostedAt = Instant.EPOCH;
    private String nodeUid;

    /**
     * @param extraHealth the kubelet's own health (e.g. the PLEG relisting) besides the runtime's
     */
    public NodeAgent(KubernetesClient client, Settings settings, ContainerRuntime runtime,
                     Supplier<NodeStatuses.RuntimeHealth> extraHealth, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.runtime = runtime;
        this.extraHealth = extraHealth;
        this.clock = clock;
        this.machine = MachineInfo.read(settings.rootDir());
    }

    /** Creates or adopts the Node, posts its first status and lease; blocks until done. */
    public void register() {
        Node wanted = NodeStatuses.registration(settings.nodeName(), settings.podCidr().orElse(null), Map.of());
        Node node;
        try {
            node = client.nodes().resource(wanted).create();
            log.info("registered node name={}", settings.nodeName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            node = client.nodes().withName(settings.nodeName()).get();
            if (settings.podCidr().isPresent() && (node.getSpec() == null || node.getSpec().getPodCIDR() == null)) {
                String cidr = settings.podCidr().get();
                node = client.nodes().withName(settings.nodeName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"podCIDR\":\"" + cidr + "\",\"podCIDRs\":[\"" + cidr + "\"]}}");
            }
            log.info("node already registered name={}", settings.nodeName());
        }
        nodeUid = node.getMetadata().getUid();
        lastPosted = node.getStatus();
        postStatus(true);
        renewLease();
    }

    public void start() {
        thread = Thread.ofVirtual().name("node-agent").start(this::run);
    }

    private void run() {
        Instant nextLease = clock.instant().plus(LEASE_RENEW);
        while (!closed) {
            try {
                Thread.sleep(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                return;
            }
            try {
                Instant now = clock.instant();
                if (!now.isBefore(nextLease)) {
                    renewLease();
                    nextLease = now.plus(LEASE_RENEW);
                }
                postStatus(false);
            } catch (RuntimeException e) {
                log.warn("node heartbeat failed node={}: {}", settings.nodeName(), e.getMessage());
            }
        }
    }

    /** Posts the status if it changed (heartbeats aside) or the report period has passed. */
    synchronized void postStatus(boolean force) {
        Instant now = clock.instant();
        boolean due = force || Duration.between(lastPostedAt, now).compareTo(REPORT_PERIOD) >= 0;
        NodeStatuses.RuntimeHealth health = health();
        boolean readinessChanged = lastPosted == null || readyOf(lastPosted) != health.ready();
        if (!due && !readinessChanged && Duration.between(lastPostedAt, now).compareTo(STATUS_PERIOD) < 0) {
            return;
        }
        NodeStatus status = NodeStatuses.status(lastPosted, machine, settings.addresses(), settings.kubeletPort(),
                settings.kubeletVersion(), runtimeInfo(), health, now);
        if (!due && !readinessChanged && sameIgnoringHeartbeats(status, lastPosted)) {
            return;
        }
        client.nodes().withName(settings.nodeName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":" + Serialization.asJson(status) + "}");
        lastPosted = status;
        lastPostedAt = now;
    }

    private NodeStatuses.RuntimeHealth health() {
        try {
            StatusResponse status = runtime.status();
            for (RuntimeCondition condition : status.getStatus().getConditionsList()) {
                if ((condition.getType().equals("RuntimeReady") || condition.getType().equals("NetworkReady"))
                        && !condition.getStatus()) {
                    String why = condition.getType().equals("NetworkReady")
                            ? "container runtime network not ready: NetworkReady=false reason:" + condition.getReason()
                              + " message:" + condition.getMessage()
                            : "container runtime status check may not have completed yet";
                    return new NodeStatuses.RuntimeHealth(false, why);
                }
            }
        } catch (ContainerRuntime.RuntimeException e) {
            return new NodeStatuses.RuntimeHealth(false, "container runtime is down: " + e.getMessage());
        }
        return extraHealth.get();
    }

    private NodeStatuses.RuntimeInfo runtimeInfo() {
        try {
            VersionResponse version = runtime.version();
            List<Image> images = new ArrayList<>(runtime.listImages());
            images.sort(Comparator.comparingLong(Image::getSize).reversed());
            List<ContainerImage> published = images.stream().limit(MAX_IMAGES).map(image -> {
                List<String> names = new ArrayList<>(image.getRepoDigestsList());
                names.addAll(image.getRepoTagsList());
                return new ContainerImage(names, image.getSize());
            }).filter(image -> !image.getNames().isEmpty()).toList();
            return new NodeStatuses.RuntimeInfo(version.getRuntimeName() + "://" + version.getRuntimeVersion(), published);
        } catch (ContainerRuntime.RuntimeException e) {
            return new NodeStatuses.RuntimeInfo(lastPosted != null && lastPosted.getNodeInfo() != null
                    ? lastPosted.getNodeInfo().getContainerRuntimeVersion() : "", lastPosted != null ? lastPosted.getImages() : List.of());
        }
    }

    private void renewLease() {
        String name = settings.nodeName();
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        var leases = client.leases().inNamespace(LEASE_NAMESPACE);
        Lease existing = leases.withName(name).get();
        if (existing == null) {
            Lease lease = new LeaseBuilder()
                    .withNewMetadata().withName(name).withNamespace(LEASE_NAMESPACE)
                    .addNewOwnerReference().withApiVersion("v1").withKind("Node").withName(name).withUid(nodeUid).endOwnerReference()
                    .endMetadata()
                    .withNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(LEASE_DURATION_SECONDS)
                    .withRenewTime(now).endSpec()
                    .build();
            leases.resource(lease).create();
            return;
        }
        existing.getSpec().setRenewTime(now);
        existing.getSpec().setHolderIdentity(name);
        existing.getSpec().setLeaseDurationSeconds(LEASE_DURATION_SECONDS);
        leases.resource(existing).update();
    }

    private static boolean readyOf(NodeStatus status) {
        return status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
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
        if (thread != null) {
            thread.interrupt();
        }
    }
}
