package dev.konductor.scheduler.plugins;

import dev.konductor.scheduler.framework.AffinityTerm;
import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.NodeSelectorTerms;
import dev.konductor.scheduler.framework.Plugin;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Snapshot;
import dev.konductor.scheduler.framework.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Required pod affinity and anti-affinity (the pod's own terms and existing pods' anti-affinity
 * towards it) as a filter over topology domains; preferred terms (and existing pods' terms) as
 * a score.
 */
public final class InterPodAffinity implements Plugin.PreFilter, Plugin.Filter, Plugin.PreScore, Plugin.Score {

    public static final String NAME = "InterPodAffinity";
    static final String AFFINITY_REASON = "node(s) didn't match pod affinity rules";
    static final String ANTI_AFFINITY_REASON = "node(s) didn't match pod anti-affinity rules";
    static final String EXISTING_ANTI_AFFINITY_REASON = "node(s) didn't satisfy existing pods anti-affinity rules";
    private static final String FILTER_KEY = "PreFilter" + NAME;
    private static final String SCORE_KEY = "PreScore" + NAME;
    /** Upstream's default hardPodAffinityWeight: existing pods' required affinity also counts when scoring. */
    private static final int HARD_POD_AFFINITY_WEIGHT = 1;

    @Override
    public String name() {
        return NAME;
    }

    /** Matching pods per topology domain, for the three kinds of required terms. */
    static final class FilterState implements CycleState.Data {
        Map<String, String> namespaceLabels = Map.of();
        Map<TopologyPair, Long> existingAntiAffinity = new HashMap<>();
        Map<TopologyPair, Long> affinity = new HashMap<>();
        Map<TopologyPair, Long> antiAffinity = new HashMap<>();
        Snapshot snapshot;

        @Override
        public FilterState copy() {
            FilterState c = new FilterState();
            c.namespaceLabels = namespaceLabels;
            c.existingAntiAffinity = new HashMap<>(existingAntiAffinity);
            c.affinity = new HashMap<>(affinity);
            c.antiAffinity = new HashMap<>(antiAffinity);
            c.snapshot = snapshot;
            return c;
        }

        /** Counts (sign +1) or uncounts (-1) {@code existing} on {@code node} against the incoming pod. */
        void update(PodInfo pod, PodInfo existing, NodeInfo node, long sign) {
            Map<String, String> labels = NodeSelectorTerms.labels(node.node());
            for (AffinityTerm t : existing.requiredAntiAffinity()) {
                if (t.matches(pod, namespaceLabels)) {
                    bump(existingAntiAffinity, labels, t.topologyKey(), sign);
                }
            }
            Map<String, String> existingNamespace = snapshot.namespaceLabels(existing.namespace());
            if (!pod.requiredAffinity().isEmpty() && matchesAll(pod.requiredAffinity(), existing, existingNamespace)) {
                for (AffinityTerm t : pod.requiredAffinity()) {
                    bump(affinity, labels, t.topologyKey(), sign);
                }
            }
            for (AffinityTerm t : pod.requiredAntiAffinity()) {
                if (t.matches(existing, existingNamespace)) {
                    bump(antiAffinity, labels, t.topologyKey(), sign);
                }
            }
        }

        private static void bump(Map<TopologyPair, Long> counts, Map<String, String> labels, String key, long sign) {
            String value = labels.get(key);
            if (value == null) {
                return;
            }
            counts.compute(new TopologyPair(key, value), (k, v) -> {
                long n = (v == null ? 0 : v) + sign;
                return n == 0 ? null : n;
            });
        }
    }

    static boolean matchesAll(List<AffinityTerm> terms, PodInfo pod, Map<String, String> namespaceLabels) {
        for (AffinityTerm t : terms) {
            if (!t.matches(pod, namespaceLabels)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        boolean ownTerms = !pod.requiredAffinity().isEmpty() || !pod.requiredAntiAffinity().isEmpty();
        if (!ownTerms && snapshot.nodesWithPodsWithRequiredAntiAffinity().isEmpty()) {
            return Status.SKIP;
        }
        FilterState s = new FilterState();
        s.snapshot = snapshot;
        s.namespaceLabels = snapshot.namespaceLabels(pod.namespace());
        if (ownTerms) {
            for (NodeInfo node : snapshot.nodes()) {
                for (PodInfo existing : node.pods()) {
                    s.update(pod, existing, node, 1);
                }
            }
        } else {
            for (NodeInfo node : snapshot.nodesWithPodsWithRequiredAntiAffinity()) {
                for (PodInfo existing : node.podsWithRequiredAntiAffinity()) {
                    s.update(pod, existing, node, 1);
                }
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
        if (!satisfiesAffinity(s, pod, labels)) {
            return Status.unresolvable(AFFINITY_REASON);
        }
        for (AffinityTerm t : pod.requiredAntiAffinity()) {
            String value = labels.get(t.topologyKey());
            if (value != null && s.antiAffinity.getOrDefault(new TopologyPair(t.topologyKey(), value), 0L) > 0) {
                return Status.unschedulable(ANTI_AFFINITY_REASON);
            }
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (s.existingAntiAffinity.getOrDefault(new TopologyPair(label.getKey(), label.getValue()), 0L) > 0) {
                return Status.unschedulable(EXISTING_ANTI_AFFINITY_REASON);
            }
        }
        return Status.SUCCESS;
    }

    /**
     * Every required affinity term has a matching pod in the node's domain; or, for the first
     * pod of a group that selects itself, no pod anywhere matches yet (so it is not stuck forever).
     */
    private static boolean satisfiesAffinity(FilterState s, PodInfo pod, Map<String, String> labels) {
        boolean podsExist = true;
        for (AffinityTerm t : pod.requiredAffinity()) {
            String value = labels.get(t.topologyKey());
            if (value == null) {
                return false;
            }
            if (s.affinity.getOrDefault(new TopologyPair(t.topologyKey(), value), 0L) <= 0) {
                podsExist = false;
            }
        }
        if (podsExist) {
            return true;
        }
        return s.affinity.isEmpty() && matchesAll(pod.requiredAffinity(), pod, s.namespaceLabels);
    }

    /** Summed term weights per topology domain. */
    static final class ScoreState implements CycleState.Data {
        final Map<TopologyPair, Long> scores = new HashMap<>();

        @Override
        public ScoreState copy() {
            ScoreState c = new ScoreState();
            c.scores.putAll(scores);
            return c;
        }

        void add(Map<String, String> nodeLabels, String key, long weight) {
            String value = nodeLabels.get(key);
            if (value != null && weight != 0) {
                scores.merge(new TopologyPair(key, value), weight, Long::sum);
            }
        }
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
        Snapshot snapshot = state.snapshot();
        boolean preferred = !pod.preferredAffinity().isEmpty() || !pod.preferredAntiAffinity().isEmpty();
        List<NodeInfo> candidates = preferred ? snapshot.nodes() : snapshot.nodesWithPodsWithAffinity();
        if (!preferred && candidates.isEmpty()) {
            return Status.SKIP;
        }
        ScoreState s = new ScoreState();
        Map<String, String> podNamespace = snapshot.namespaceLabels(pod.namespace());
        for (NodeInfo node : candidates) {
            Map<String, String> labels = NodeSelectorTerms.labels(node.node());
            for (PodInfo existing : preferred ? node.pods() : node.podsWithAffinity()) {
                Map<String, String> existingNamespace = snapshot.namespaceLabels(existing.namespace());
                for (AffinityTerm t : pod.preferredAffinity()) {
                    if (t.matches(existing, existingNamespace)) {
                        s.add(labels, t.topologyKey(), t.weight());
                    }
                }
                for (AffinityTerm t : pod.preferredAntiAffinity()) {
                    if (t.matches(existing, existingNamespace)) {
                        s.add(labels, t.topologyKey(), -t.weight());
                    }
                }
                for (AffinityTerm t : existing.requiredAffinity()) {
                    if (t.matches(pod, podNamespace)) {
                        s.add(labels, t.topologyKey(), HARD_POD_AFFINITY_WEIGHT);
                    }
                }
                for (AffinityTerm t : existing.preferredAffinity()) {
                    if (t.matches(pod, podNamespace)) {
                        s.add(labels, t.topologyKey(), t.weight());
                    }
                }
                for (AffinityTerm t : existing.preferredAntiAffinity()) {
                    if (t.matches(pod, podNamespace)) {
                        s.add(labels, t.topologyKey(), -t.weight());
                    }
                }
            }
        }
        if (s.scores.isEmpty()) {
            return Status.SKIP;
        }
        state.write(SCORE_KEY, s);
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        ScoreState s = state.read(SCORE_KEY);
        if (s == null) {
            return 0;
        }
        long score = 0;
        for (Map.Entry<String, String> label : NodeSelectorTerms.labels(node.node()).entrySet()) {
            score += s.scores.getOrDefault(new TopologyPair(label.getKey(), label.getValue()), 0L);
        }
        return score;
    }

    @Override
    public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        if (state.read(SCORE_KEY) == null || scores.length == 0) {
            return;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        long diff = max - min;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = diff > 0 ? (long) (MAX_NODE_SCORE * ((double) (scores[i] - min) / diff)) : 0;
        }
    }
}
