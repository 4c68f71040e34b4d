package dev.konductor.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Zones and how disrupted they are (upstream's zone states): NoExecute taints, which evict pods,
 * are added at a limited rate per zone, slower or not at all when much of a zone is down, and
 * never while every node of every zone is down: then the fault is more likely this
 * controller's view of the cluster than every node at once, so nothing is evicted.
 */
final class Zones {

    enum State { NORMAL, PARTIAL_DISRUPTION, FULL_DISRUPTION }

    static final String REGION_LABEL = "topology.kubernetes.io/region";
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    static final String EXCLUDE_DISRUPTION_LABEL = "node.kubernetes.io/exclude-disruption";

    private final NodeLifecycleSettings settings;
    private final Map<String, State> states = new HashMap<>();
    private final Map<String, TokenBucket> limiters = new HashMap<>();
    /** Per zone, nodes waiting for their NoExecute taint, in the order they went bad. */
    private final Map<String, Deque<String>> pending = new HashMap<>();
    /** Nodes tainted in their current bad spell: not queued again until they recover. */
    private final Set<String> tainted = new HashSet<>();

    Zones(NodeLifecycleSettings settings) {
        this.settings = settings;
    }

    /** Upstream's zone key: region and zone labels, empty for nodes without them. */
    static String zoneOf(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        String region = labels.getOrDefault(REGION_LABEL, labels.getOrDefault("failure-domain.beta.kubernetes.io/region", ""));
        String zone = labels.getOrDefault(ZONE_LABEL, labels.getOrDefault("failure-domain.beta.kubernetes.io/zone", ""));
        return region.isEmpty() && zone.isEmpty() ? "" : region + ":\u0000:" + zone;
    }

    static boolean excluded(Node node) {
        return node.getMetadata().getLabels() != null
                && node.getMetadata().getLabels().containsKey(EXCLUDE_DISRUPTION_LABEL);
    }

    /** A zone's state from its nodes' Ready conditions (null for a node that never posted one). */
    State stateOf(List<NodeCondition> readyConditions) {
        int ready = 0;
        int notReady = 0;
        for (NodeCondition c : readyConditions) {
            if (c != null && "True".equals(c.getStatus())) {
                ready++;
            } else {
                notReady++;
            }
        }
        if (ready == 0 && notReady > 0) {
            return State.FULL_DISRUPTION;
        }
        if (notReady > 2 && (double) notReady / (notReady + ready) >= settings.unhealthyZoneThreshold()) {
            return State.PARTIAL_DISRUPTION;
        }
        return State.NORMAL;
    }

    /** What {@link #update} decided. */
    enum Mode { NORMAL, ENTERED_FULL_DISRUPTION, IN_FULL_DISRUPTION, LEFT_FULL_DISRUPTION }

    /**
     * Takes this pass's per-zone Ready conditions; sets each zone's tainting rate from its state.
     * In full disruption (every zone fully down) tainting stops everywhere.
     */
    Mode update(Map<String, List<NodeCondition>> byZone, Instant now) {
        Map<String, State> next = new HashMap<>();
        byZone.forEach((zone, conditions) -> next.put(zone, stateOf(conditions)));
        boolean allNow = !next.isEmpty() && next.values().stream().allMatch(s -> s == State.FULL_DISRUPTION);
        boolean allBefore = !states.isEmpty() && states.values().stream().allMatch(s -> s == State.FULL_DISRUPTION);
        if (allNow) {
            states.clear();
            states.putAll(next);
            next.keySet().forEach(zone -> limiters.put(zone, TokenBucket.never()));
            return allBefore ? Mode.IN_FULL_DISRUPTION : Mode.ENTERED_FULL_DISRUPTION;
        }
        for (Map.Entry<String, State> e : next.entrySet()) {
            if (allBefore || states.get(e.getKey()) != e.getValue() || !limiters.containsKey(e.getKey())) {
                limiters.put(e.getKey(), new TokenBucket(rateFor(e.getValue(), byZone.get(e.getKey()).size()), now));
            }
        }
        states.keySet().retainAll(next.keySet());
        states.putAll(next);
        return allBefore ? Mode.LEFT_FULL_DISRUPTION : Mode.NORMAL;
    }

    private double rateFor(State state, int zoneSize) {
        return switch (state) {
            case NORMAL, FULL_DISRUPTION -> settings.evictionRate();
            case PARTIAL_DISRUPTION -> zoneSize > settings.largeClusterThreshold() ? settings.secondaryEvictionRate() : 0;
        };
    }

    /** Queues a bad node for its NoExecute taint, unless it is queued or tainted already. */
    void queueForTaint(String zone, String node) {
        if (tainted.contains(node)) {
            return;
        }
        Deque<String> queue = pending.computeIfAbsent(zone, z -> new ArrayDeque<>());
        if (!queue.contains(node)) {
            queue.addLast(node);
        }
    }

    /** The node is healthy (or gone): forget it was queued or tainted. */
    void reachable(String node) {
        tainted.remove(node);
        pending.values().forEach(q -> q.remove(node));
    }

    /** Takes the nodes whose turn to be tainted has come, as each zone's rate allows. */
    List<String> dueForTaint(Instant now) {
        List<String> due = new java.util.ArrayList<>();
        for (Map.Entry<String, Deque<String>> e : pending.entrySet()) {
            TokenBucket limiter = limiters.get(e.getKey());
            while (!e.getValue().isEmpty() && limiter != null && limiter.tryTake(now)) {
                String node = e.getValue().pollFirst();
                tainted.add(node);
                due.add(node);
            }
        }
        return due;
    }

    /** A tainting that failed: try again on a later pass. */
    void taintFailed(String zone, String node) {
        tainted.remove(node);
        queueForTaint(zone, node);
    }

    boolean anyPending() {
        return pending.values().stream().anyMatch(q -> !q.isEmpty());
    }

    /** A token bucket of size one, as upstream's eviction limiters (burst 1). */
    static final class TokenBucket {
        private final double ratePerSecond;
        private double tokens = 1;
        private Instant last;

        TokenBucket(double ratePerSecond, Instant now) {
            this.ratePerSecond = ratePerSecond;
            this.last = now;
            if (ratePerSecond <= 0) {
                tokens = 0;
            }
        }

        static TokenBucket never() {
            return new TokenBucket(0, Instant.EPOCH);
        }

        boolean tryTake(Instant now) {
            if (ratePerSecond <= 0) {
                return false;
            }
            if (now.isAfter(last)) {
                tokens = Math.min(1, tokens + (now.toEpochMilli() - last.toEpochMilli()) / 1000.0 * ratePerSecond);
                last = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
