package dev.konductor.scheduler.plugins;

import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.LabelMatcher;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.NodeSelectorTerms;
import dev.konductor.scheduler.framework.Plugin;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Snapshot;
import dev.konductor.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Topology spread constraints: DoNotSchedule ones filter (matching pods in the node's domain,
 * plus the pod itself, minus the least populated domain, must not exceed maxSkew);
 * ScheduleAnyway ones score. Pods without constraints get the cluster defaults (by default
 * upstream's system defaults: hostname maxSkew 3 and zone maxSkew 5, ScheduleAnyway), selecting
 * the pods of the same Services, ReplicaSets, StatefulSets and ReplicationControllers.
 */
public final class PodTopologySpread implements Plugin.PreFilter, Plugin.Filter, Plugin.PreScore, Plugin.Score {

    public static final String NAME = "PodTopologySpread";
    static final String REASON = "node(s) didn't match pod topology spread constraints";
    static final String MISSING_LABEL_REASON = REASON + " (missing required label)";
    private static final String FILTER_KEY = "PreFilter" + NAME;
    private static final String SCORE_KEY = "PreScore" + NAME;
    static final String HOSTNAME = "kubernetes.io/hostname";

    /** Upstream's system default constraints (PodTopologySpreadArgs defaultingType: System). */
    public static final List<TopologySpreadConstraint> SYSTEM_DEFAULTS = List.of(
            new io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder().withMaxSkew(3)
                    .withTopologyKey(HOSTNAME).withWhenUnsatisfiable(SpreadConstraint.SCHEDULE_ANYWAY).build(),
            new io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder().withMaxSkew(5)
                    .withTopologyKey("topology.kubernetes.io/zone")
                    .withWhenUnsatisfiable(SpreadConstraint.SCHEDULE_ANYWAY).build());

    private final List<TopologySpreadConstraint> defaults;
    private final boolean systemDefaulted;
    private final Function<PodInfo, LabelMatcher> ownerSelector;

    /**
     * @param defaults        the cluster default constraints (without selectors)
     * @param systemDefaulted whether {@code defaults} are the system defaults (nodes missing a key still score)
     * @param ownerSelector   the selector of the Services and controllers owning a pod, or null if none does
     */
    public PodTopologySpread(List<TopologySpreadConstraint> defaults, boolean systemDefaulted,
                             Function<PodInfo, LabelMatcher> ownerSelector) {
        this.defaults = List.copyOf(defaults);
        this.systemDefaulted = systemDefaulted;
        this.ownerSelector = ownerSelector;
    }

    @Override
    public String name() {
        return NAME;
    }

    private List<SpreadConstraint> constraints(PodInfo pod, String when) {
        List<TopologySpreadConstraint> own = pod.pod().getSpec().getTopologySpreadConstraints();
        List<SpreadConstraint> out = new ArrayList<>();
        if (own != null && !own.isEmpty()) {
            for (TopologySpreadConstraint c : own) {
                if (when.equals(c.getWhenUnsatisfiable())) {
                    out.add(SpreadConstraint.of(c, pod));
                }
            }
            return out;
        }
        if (defaults.isEmpty()) {
            return out;
        }
        LabelMatcher selector = ownerSelector.apply(pod);
        if (selector == null) {
            return out;
        }
        for (TopologySpreadConstraint c : defaults) {
            if (when.equals(c.getWhenUnsatisfiable())) {
                SpreadConstraint base = SpreadConstraint.of(c, pod);
                out.add(new SpreadConstraint(base.maxSkew(), base.topologyKey(), base.whenUnsatisfiable(), selector,
                        base.minDomains(), base.honorNodeAffinity(), base.honorNodeTaints()));
            }
        }
        return out;
    }

    /** Matching pods per domain value, per DoNotSchedule constraint. */
    static final class FilterState implements CycleState.Data {
        List<SpreadConstraint> constraints;
        List<Map<String, Long>> counts;

        @Override
        public FilterState copy() {
            FilterState c = new FilterState();
            c.constraints = constraints;
            c.counts = new ArrayList<>();
            counts.forEach(m -> c.counts.add(new HashMap<>(m)));
            return c;
        }

        long min(int i) {
            Map<String, Long> domains = counts.get(i);
            if (domains.size() < constraints.get(i).minDomains()) {
                return 0;
            }
            long min = Long.MAX_VALUE;
            for (long n : domains.values()) {
                min = Math.min(min, n);
            }
            return min == Long.MAX_VALUE ? 0 : min;
        }

        void update(PodInfo pod, PodInfo other, NodeInfo node, long delta) {
            if (!other.namespace().equals(pod.namespace())
                    || !SpreadConstraint.nodeHasAllKeys(node.node(), constraints)) {
                return;
            }
            Map<String, String> labels = NodeSelectorTerms.labels(node.node());
            for (int i = 0; i < constraints.size(); i++) {
                SpreadConstraint c = constraints.get(i);
                if (!c.selector().matches(other.labels()) || !c.includes(pod, node.node())) {
                    continue;
                }
                counts.get(i).merge(labels.get(c.topologyKey()), delta, Long::sum);
            }
        }
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        List<SpreadConstraint> constraints = constraints(pod, SpreadConstraint.DO_NOT_SCHEDULE);
        if (constraints.isEmpty()) {
            return Status.SKIP;
        }
        FilterState s = new FilterState();
        s.constraints = constraints;
        s.counts = new ArrayList<>();
        constraints.forEach(c -> s.counts.add(new HashMap<>()));
        for (NodeInfo node : snapshot.nodes()) {
            if (!SpreadConstraint.nodeHasAllKeys(node.node(), constraints)) {
                continue;
            }
            Map<String, String> labels = NodeSelectorTerms.labels(node.node());
            for (int i = 0; i < constraints.size(); i++) {
                SpreadConstraint c = constraints.get(i);
                if (!c.includes(pod, node.node())) {
                    continue;
                }
                s.counts.get(i).merge(labels.get(c.topologyKey()), c.count(node.pods(), pod.namespace()), Long::sum);
            }
        }
        state.write(FILTER_KEY, s);
        return Status.SUCCESS;
    }

    @Override
    public PreFilterExtensions extensions() {
        return new PreFilterExtensions() {
            @Override
            public void addPod(CycleState state, PodInfo pod, PodInfo other, NodeInfo node) {
                FilterState s = state.read(FILTER_KEY);
                if (s != null) {
                    s.update(pod, other, node, 1);
                }
            }

            @Override
            public void removePod(CycleState state, PodInfo pod, PodInfo other, NodeInfo node) {
                FilterState s = state.read(FILTER_KEY);
                if (s != null) {
                    s.update(pod, other, node, -1);
                }
            }
        };
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        FilterState s = state.read(FILTER_KEY);
        if (s == null) {
            return Status.SUCCESS;
        }
        Map<String, String> labels = NodeSelectorTerms.labels(node.node());
        for (int i = 0; i < s.constraints.size(); i++) {
            SpreadConstraint c = s.constraints.get(i);
            String value = labels.get(c.topologyKey());
            if (value == null) {
                return Status.unresolvable(MISSING_LABEL_REASON);
            }
            long self = c.selector().matches(pod.labels()) ? 1 : 0;
            long skew = s.counts.get(i).getOrDefault(value, 0L) + self - s.min(i);
            if (skew > c.maxSkew()) {
                return Status.unschedulable(REASON);
            }
        }
        return Status.SUCCESS;
    }

    /** Matching pods per domain for the ScheduleAnyway constraints, and per-constraint weights. */
    static final class ScoreState implements CycleState.Data {
        List<SpreadConstraint> constraints;
        Map<TopologyPair, Long> counts = new HashMap<>();
        Set<String> ignoredNodes = new HashSet<>();
        double[] weights;

        @Override
        public ScoreState copy() {
            return this; // read-only once PreScore has filled it
        }
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
        List<SpreadConstraint> constraints = constraints(pod, SpreadConstraint.SCHEDULE_ANYWAY);
        if (constraints.isEmpty()) {
            return Status.SKIP;
        }
        boolean ownConstraints = pod.pod().getSpec().getTopologySpreadConstraints() != null
                && !pod.pod().getSpec().getTopologySpreadConstraints().isEmpty();
        boolean requireAllTopologies = ownConstraints || !systemDefaulted;
        ScoreState s = new ScoreState();
        s.constraints = constraints;
        int[] domains = new int[constraints.size()];
        for (NodeInfo node : nodes) {
            if (requireAllTopologies && !SpreadConstraint.nodeHasAllKeys(node.node(), constraints)) {
                s.ignoredNodes.add(node.name());
                continue;
            }
            Map<String, String> labels = NodeSelectorTerms.labels(node.node());
            for (int i = 0; i < constraints.size(); i++) {
                SpreadConstraint c = constraints.get(i);
                if (c.topologyKey().equals(HOSTNAME)) {
                    continue;
                }
                TopologyPair pair = new TopologyPair(c.topologyKey(), labels.getOrDefault(c.topologyKey(), ""));
                if (s.counts.putIfAbsent(pair, 0L) == null) {
                    domains[i]++;
                }
            }
        }
        s.weights = new double[constraints.size()];
        for (int i = 0; i < constraints.size(); i++) {
            int size = constraints.get(i).topologyKey().equals(HOSTNAME) ? nodes.size() - s.ignoredNodes.size()
                    : domains[i];
            s.weights[i] = Math.log(size + 2);
        }
        for (NodeInfo node : state.snapshot().nodes()) {
            if (requireAllTopologies && !SpreadConstraint.nodeHasAllKeys(node.node(), constraints)) {
                continue;
            }
            Map<String, String> labels = NodeSelectorTerms.labels(node.node());
            for (SpreadConstraint c : constraints) {
                if (c.topologyKey().equals(HOSTNAME) || !c.includes(pod, node.node())) {
                    continue;
                }
                TopologyPair pair = new TopologyPair(c.topologyKey(), labels.getOrDefault(c.topologyKey(), ""));
                if (s.counts.containsKey(pair)) {
                    s.counts.merge(pair, c.count(node.pods(), pod.namespace()), Long::sum);
                }
            }
        }
        state.write(SCORE_KEY, s);
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        ScoreState s = state.read(SCORE_KEY);
        if (s == null || s.ignoredNodes.contains(node.name())) {
            return 0;
        }
        Map<String, String> labels = NodeSelectorTerms.labels(node.node());
        double score = 0;
        for (int i = 0; i < s.constraints.size(); i++) {
            SpreadConstraint c = s.constraints.get(i);
            String value = labels.get(c.topologyKey());
            if (value == null) {
                continue;
            }
            long count = c.topologyKey().equals(HOSTNAME) ? c.count(node.pods(), pod.namespace())
                    : s.counts.getOrDefault(new TopologyPair(c.topologyKey(), value), 0L);
            score += count * s.weights[i] + (c.maxSkew() - 1);
        }
        return Math.round(score);
    }

    /** Fewer matching pods is better: scores are inverted against the highest (ignored nodes get 0). */
    @Override
    public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScoreState s = state.read(SCORE_KEY);
        if (s == null) {
            return;
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        boolean[] ignored = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            ignored[i] = s.ignoredNodes.contains(nodes.get(i).name());
        }
        for (int i = 0; i < scores.length; i++) {
            if (ignored[i]) {
                continue;
            }
            min = Math.min(min, scores[i]);
            max = Math.max(max, scores[i]);
        }
        for (int i = 0; i < scores.length; i++) {
            if (ignored[i]) {
                scores[i] = 0;
            } else if (max == 0) {
                scores[i] = MAX_NODE_SCORE;
            } else {
                scores[i] = MAX_NODE_SCORE * (max + min - scores[i]) / max;
            }
        }
    }
}
