package dev.konductor.kubelet.node;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The node's four conditions, as upstream's kubelet sets them on every status update, and the
 * events it records on its node when one changes: MemoryPressure, DiskPressure and PIDPressure
 * from the pressures the node is under (a condition that did not exist before counts as a change,
 * so a starting kubelet says {@code NodeHasSufficientMemory} and the like), then Ready (last, as
 * upstream keeps it) from the kubelet's readiness: {@code NodeReady} or {@code NodeNotReady} when
 * it flips, nothing when it is new. Heartbeats are {@code now}; a condition keeps its
 * lastTransitionTime while its status holds. Pure.
 */
public final class NodeConditions {

    /** A node event: {@code Normal}, with upstream's reason; its message is "Node X status is now: REASON". */
    public record Event(String reason) {
    }

    /** The conditions to post and the events to record. */
    public record Update(List<NodeCondition> conditions, List<Event> events) {
    }

    private NodeConditions() {
    }

    public static Update update(List<NodeCondition> previous, Set<Pressure> pressures, Readiness readiness, Instant now) {
        String stamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        List<NodeCondition> conditions = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        for (Pressure pressure : Pressure.values()) {
            boolean under = pressures.contains(pressure);
            String status = under ? "True" : "False";
            Optional<NodeCondition> old = find(previous, pressure.conditionType());
            boolean changed = old.map(c -> !status.equals(c.getStatus())).orElse(true);
            if (changed) {
                events.add(new Event(pressure.event(under)));
            }
            conditions.add(condition(pressure.conditionType(), status, pressure.reason(under), pressure.message(under),
                    stamp, changed ? stamp : old.get().getLastTransitionTime()));
        }
        String ready = readiness.ready() ? "True" : "False";
        Optional<NodeCondition> oldReady = find(previous, "Ready");
        boolean readyChanged = oldReady.map(c -> !ready.equals(c.getStatus())).orElse(true);
        if (readyChanged && oldReady.isPresent()) {
            events.add(new Event(readiness.ready() ? "NodeReady" : "NodeNotReady"));
        }
        conditions.add(readiness.ready()
                ? condition("Ready", ready, "KubeletReady", "kubelet is posting ready status", stamp,
                        readyChanged ? stamp : oldReady.get().getLastTransitionTime())
                : condition("Ready", ready, "KubeletNotReady", readiness.message(), stamp,
                        readyChanged ? stamp : oldReady.get().getLastTransitionTime()));
        return new Update(conditions, events);
    }

    static Optional<NodeCondition> find(List<NodeCondition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static NodeCondition condition(String type, String status, String reason, String message, String heartbeat,
                                           String transition) {
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(heartbeat).withLastTransitionTime(transition != null ? transition : heartbeat)
                .build();
    }
}
