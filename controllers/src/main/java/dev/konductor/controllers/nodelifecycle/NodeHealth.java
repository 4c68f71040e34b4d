package dev.konductor.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the controller knows of each node's heartbeats (upstream's nodeHealthMap): when it last
 * saw the node's Ready heartbeat or its Lease renewal change, measured on this controller's own
 * clock so that clock skew between nodes and controller does not matter. A node not heard from
 * for its grace period gets its conditions set to Unknown.
 */
final class NodeHealth {

    static final String NEVER_UPDATED = "NodeStatusNeverUpdated";
    static final String NEVER_UPDATED_MESSAGE = "Kubelet never posted node status.";
    static final String UNKNOWN = "NodeStatusUnknown";
    static final String UNKNOWN_MESSAGE = "Kubelet stopped posting node status.";
    /** The conditions the kubelet owns; NetworkUnavailable belongs to the network, not the kubelet. */
    private static final List<String> KUBELET_CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure",
            "PIDPressure");

    /**
     * @param savedReady      the Ready condition last seen (null if the node never posted one)
     * @param leaseRenew      the Lease renewTime last seen
     * @param probe           when a heartbeat was last seen change
     * @param readyTransition when the Ready condition was last seen change state
     */
    record Health(NodeCondition savedReady, ZonedDateTime leaseRenew, Instant probe, Instant readyTransition) {
    }

    /**
     * One look at a node.
     *
     * @param observedReady the Ready condition as the node posted it (a made-up Unknown if never)
     * @param currentReady  the Ready condition after this controller's verdict (null while a new
     *                      node is still within its startup grace)
     * @param statusToWrite the node status to write, when the verdict changed it
     * @param healthIfWritten what to remember once that status is written
     */
    record Observation(NodeCondition observedReady, NodeCondition currentReady, Optional<NodeStatus> statusToWrite,
                       Health healthIfWritten) {
    }

    private final Map<String, Health> health = new ConcurrentHashMap<>();
    private final Duration gracePeriod;
    private final Duration startupGracePeriod;

    NodeHealth(Duration gracePeriod, Duration startupGracePeriod) {
        this.gracePeriod = gracePeriod;
        this.startupGracePeriod = startupGracePeriod;
    }

    Optional<Health> get(String nodeName) {
        return Optional.ofNullable(health.get(nodeName));
    }

    void forget(String nodeName) {
        health.remove(nodeName);
    }

    /** Every node's heartbeat clock restarts now (leaving full disruption: give nodes a fresh grace). */
    void restartClocks(Instant now) {
        health.replaceAll((name, h) -> new Health(h.savedReady, h.leaseRenew, now, now));
    }

    /** Records what {@code node} and its {@code lease} show and gives the verdict. */
    Observation observe(Node node, Lease lease, Instant now) {
        String name = node.getMetadata().getName();
        Instant created = parse(node.getMetadata().getCreationTimestamp()).orElse(now);
        NodeCondition readyNow = condition(node.getStatus(), "Ready").orElse(null);
        Duration grace = readyNow == null ? startupGracePeriod : gracePeriod;
        NodeCondition observed = readyNow != null ? readyNow : new NodeConditionBuilder().withType("Ready")
                .withStatus("Unknown").withLastHeartbeatTime(node.getMetadata().getCreationTimestamp())
                .withLastTransitionTime(node.getMetadata().getCreationTimestamp()).build();

        Health saved = health.get(name);
        Health h;
        if (saved == null) {
            Instant since = readyNow == null ? created : now;
            h = new Health(readyNow, null, since, since);
        } else if ((saved.savedReady == null) != (readyNow == null)) {
            h = new Health(readyNow, saved.leaseRenew, now, now);
        } else if (readyNow != null && !Objects.equals(saved.savedReady.getLastHeartbeatTime(),
                readyNow.getLastHeartbeatTime())) {
            boolean transitioned = !Objects.equals(saved.savedReady.getLastTransitionTime(),
                    readyNow.getLastTransitionTime());
            h = new Health(readyNow, saved.leaseRenew, now, transitioned ? now : saved.readyTransition);
        } else {
            h = saved;
        }
        ZonedDateTime renewed = lease == null || lease.getSpec() == null ? null : lease.getSpec().getRenewTime();
        if (renewed != null && (h.leaseRenew == null || h.leaseRenew.isBefore(renewed))) {
            h = new Health(h.savedReady, renewed, now, h.readyTransition);
        }
        health.put(name, h);

        if (!now.isAfter(h.probe.plus(grace))) {
            return new Observation(observed, readyNow, Optional.empty(), h);
        }
        NodeStatus status = markUnknown(node, now);
        NodeCondition currentReady = condition(status, "Ready").orElseThrow();
        if (currentReady.equals(observed)) {
            return new Observation(observed, currentReady, Optional.empty(), h);
        }
        return new Observation(observed, currentReady, Optional.of(status),
                new Health(currentReady, renewed != null ? renewed : h.leaseRenew, h.probe, now));
    }

    /** Remembers a verdict once its status is written. */
    void written(String nodeName, Observation observation) {
        health.put(nodeName, observation.healthIfWritten());
    }

    /** The node's status with every kubelet-owned condition Unknown. */
    private static NodeStatus markUnknown(Node node, Instant now) {
        String stamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        NodeStatus current = node.getStatus() == null ? new NodeStatus() : node.getStatus();
        List<NodeCondition> conditions = new ArrayList<>();
        if (current.getConditions() != null) {
            for (NodeCondition c : current.getConditions()) {
                if (KUBELET_CONDITIONS.contains(c.getType()) && !"Unknown".equals(c.getStatus())) {
                    conditions.add(new NodeConditionBuilder(c).withStatus("Unknown").withReason(UNKNOWN)
                            .withMessage(UNKNOWN_MESSAGE).withLastTransitionTime(stamp).build());
                } else {
                    conditions.add(c);
                }
            }
        }
        for (String type : KUBELET_CONDITIONS) {
            if (conditions.stream().noneMatch(c -> type.equals(c.getType()))) {
                conditions.add(new NodeConditionBuilder().withType(type).withStatus("Unknown").withReason(NEVER_UPDATED)
                        .withMessage(NEVER_UPDATED_MESSAGE)
                        .withLastHeartbeatTime(node.getMetadata().getCreationTimestamp())
                        .withLastTransitionTime(stamp).build());
            }
        }
        return new NodeStatusBuilder(current).withConditions(conditions).build();
    }

    static Optional<NodeCondition> condition(NodeStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return Optional.empty();
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static Optional<Instant> parse(String timestamp) {
        try {
            return Optional.ofNullable(timestamp).map(Instant::parse);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
