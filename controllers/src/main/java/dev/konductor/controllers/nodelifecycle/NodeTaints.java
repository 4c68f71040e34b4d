package dev.konductor.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The taints the node lifecycle controller owns, and how a node's conditions map to them. */
final class NodeTaints {

    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
    static final String MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
    static final String DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
    static final String PID_PRESSURE = "node.kubernetes.io/pid-pressure";
    static final String NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";
    static final String NO_SCHEDULE = "NoSchedule";
    static final String NO_EXECUTE = "NoExecute";

    /** Which condition status earns which NoSchedule taint (upstream's nodeConditionToTaintKeyStatusMap). */
    private static final Map<String, Map<String, String>> CONDITION_TAINTS = Map.of(
            "Ready", Map.of("False", NOT_READY, "Unknown", UNREACHABLE),
            "MemoryPressure", Map.of("True", MEMORY_PRESSURE),
            "DiskPressure", Map.of("True", DISK_PRESSURE),
            "NetworkUnavailable", Map.of("True", NETWORK_UNAVAILABLE),
            "PIDPressure", Map.of("True", PID_PRESSURE));

    private static final Set<String> NO_SCHEDULE_KEYS = Set.of(NOT_READY, UNREACHABLE, UNSCHEDULABLE, MEMORY_PRESSURE,
            DISK_PRESSURE, PID_PRESSURE, NETWORK_UNAVAILABLE);

    private NodeTaints() {
    }

    static List<Taint> of(Node node) {
        return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
    }

    static boolean has(List<Taint> taints, String key, String effect) {
        return taints.stream().anyMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()));
    }

    static Taint taint(String key, String effect, Instant now) {
        return new TaintBuilder().withKey(key).withEffect(effect)
                .withTimeAdded(now.truncatedTo(ChronoUnit.SECONDS).toString()).build();
    }

    /** The NoSchedule taints {@code node}'s conditions and spec.unschedulable call for (keys only). */
    static Set<String> wantedNoSchedule(Node node) {
        Set<String> keys = new LinkedHashSet<>();
        List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
                ? List.of() : node.getStatus().getConditions();
        for (NodeCondition condition : conditions) {
            String key = CONDITION_TAINTS.getOrDefault(condition.getType(), Map.of()).get(condition.getStatus());
            if (key != null) {
                keys.add(key);
            }
        }
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            keys.add(UNSCHEDULABLE);
        }
        return keys;
    }

    /**
     * {@code current} with the controller's NoSchedule taints made to match {@code wanted}:
     * missing ones added (stamped {@code now}), stale ones removed, everyone else's kept.
     */
    static List<Taint> withNoSchedule(List<Taint> current, Set<String> wanted, Instant now) {
        List<Taint> result = new ArrayList<>();
        for (Taint t : current) {
            boolean ours = NO_SCHEDULE.equals(t.getEffect()) && NO_SCHEDULE_KEYS.contains(t.getKey());
            if (!ours || wanted.contains(t.getKey())) {
                result.add(t);
            }
        }
        for (String key : wanted) {
            if (!has(result, key, NO_SCHEDULE)) {
                result.add(taint(key, NO_SCHEDULE, now));
            }
        }
        return result;
    }

    /**
     * {@code current} with exactly the NoExecute taint {@code key} of the two the controller
     * uses (not-ready, unreachable), or neither when {@code key} is null.
     */
    static List<Taint> withNoExecute(List<Taint> current, String key, Instant now) {
        List<Taint> result = new ArrayList<>();
        for (Taint t : current) {
            boolean ours = NO_EXECUTE.equals(t.getEffect()) && (NOT_READY.equals(t.getKey())
                    || UNREACHABLE.equals(t.getKey()));
            if (!ours || Objects.equals(key, t.getKey())) {
                result.add(t);
            }
        }
        if (key != null && !has(result, key, NO_EXECUTE)) {
            result.add(taint(key, NO_EXECUTE, now));
        }
        return result;
    }
}
