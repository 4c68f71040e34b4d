package dev.konductor.scheduler.framework;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One scheduling profile: its plugins per extension point, in order, and the score weights.
 * Runs the extension points for a cycle; holds no per-cycle state itself (that is the
 * {@link CycleState}), so one instance serves every cycle.
 */
public final class Framework {

    /** A score plugin with its weight in the profile. */
    public record WeightedScore(Plugin.Score plugin, int weight) {
    }

    private final List<Plugin.PreFilter> preFilters;
    private final List<Plugin.Filter> filters;
    private final List<Plugin.PostFilter> postFilters;
    private final List<Plugin.PreScore> preScores;
    private final List<WeightedScore> scores;
    private final List<Plugin.Reserve> reserves;
    private final List<Plugin.PreBind> preBinds;
    private final List<Plugin.Bind> binds;

    public Framework(List<Plugin.PreFilter> preFilters, List<Plugin.Filter> filters,
                     List<Plugin.PostFilter> postFilters, List<Plugin.PreScore> preScores,
                     List<WeightedScore> scores, List<Plugin.Reserve> reserves, List<Plugin.PreBind> preBinds,
                     List<Plugin.Bind> binds) {
        this.preFilters = List.copyOf(preFilters);
        this.filters = List.copyOf(filters);
        this.postFilters = List.copyOf(postFilters);
        this.preScores = List.copyOf(preScores);
        this.scores = List.copyOf(scores);
        this.reserves = List.copyOf(reserves);
        this.preBinds = List.copyOf(preBinds);
        this.binds = List.copyOf(binds);
    }

    public List<WeightedScore> scorePlugins() {
        return scores;
    }

    public boolean hasPostFilters() {
        return !postFilters.isEmpty();
    }

    /** The first rejection or error from a PreFilter (named after its plugin), else success. */
    public Status runPreFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        for (Plugin.PreFilter p : preFilters) {
            Status s = p.preFilter(state, pod, snapshot);
            if (s.isSkip()) {
                state.skipFilter().add(p.name());
            } else if (!s.isSuccess()) {
                return s.withPlugin(p.name());
            }
        }
        return Status.SUCCESS;
    }

    /** The first Filter that does not pass the pod on {@code node}, as upstream stops at the first. */
    public Status runFilter(CycleState state, PodInfo pod, NodeInfo node) {
        for (Plugin.Filter f : state.filtersToRun(filters)) {
            Status s = f.filter(state, pod, node);
            if (!s.isSuccess()) {
                return s.withPlugin(f.name());
            }
        }
        return Status.SUCCESS;
    }

    /**
     * Filters as upstream's RunFilterPluginsWithNominatedPods: first with the pods nominated to
     * {@code node} that are at least as important as {@code pod} (they will take their room),
     * then, if any were added, once more without them (affinity to a nominated pod must not
     * make the pod fit).
     */
    public Status runFilterWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node, Nominator nominator) {
        List<PodInfo> nominated = new ArrayList<>();
        for (PodInfo p : nominator.nominatedPods(node.name())) {
            if (p.priority() >= pod.priority() && !p.uid().equals(pod.uid())) {
                nominated.add(p);
            }
        }
        if (nominated.isEmpty()) {
            return runFilter(state, pod, node);
        }
        CycleState withState = state.copy();
        NodeInfo withNode = node.copy();
        for (PodInfo p : nominated) {
            withNode.addPod(p);
            runAddPod(withState, pod, p, withNode);
        }
        Status s = runFilter(withState, pod, withNode);
        if (!s.isSuccess()) {
            return s;
        }
        return runFilter(state, pod, node);
    }

    public void runAddPod(CycleState state, PodInfo pod, PodInfo added, NodeInfo node) {
        for (Plugin.PreFilter p : preFilters) {
            Plugin.PreFilterExtensions ext = p.extensions();
            if (ext != null && !state.skipFilter().contains(p.name())) {
                ext.addPod(state, pod, added, node);
            }
        }
    }

    public void runRemovePod(CycleState state, PodInfo pod, PodInfo removed, NodeInfo node) {
        for (Plugin.PreFilter p : preFilters) {
            Plugin.PreFilterExtensions ext = p.extensions();
            if (ext != null && !state.skipFilter().contains(p.name())) {
                ext.removePod(state, pod, removed, node);
            }
        }
    }

    /** The first PostFilter that does not return Unschedulable decides; otherwise the last message stands. */
    public Plugin.PostFilterResult runPostFilter(CycleState state, PodInfo pod, NodeStatuses statuses) {
        Plugin.PostFilterResult last = new Plugin.PostFilterResult(Status.unschedulable(), "");
        for (Plugin.PostFilter p : postFilters) {
            Plugin.PostFilterResult r = p.postFilter(state, pod, statuses);
            if (r.status().isSuccess() || r.status() instanceof Status.Error) {
                return r;
            }
            last = r;
        }
        return last;
    }

    /**
     * PreScore then Score, normalization and weights for every node in {@code nodes}.
     *
     * @return the weighted total per node, in the order of {@code nodes}
     */
    public long[] runScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
        for (Plugin.PreScore p : preScores) {
            Status s = p.preScore(state, pod, nodes);
            if (s.isSkip()) {
                state.skipScore().add(p.name());
            } else if (!s.isSuccess()) {
                throw new IllegalStateException("PreScore " + p.name() + ": " + s.message());
            }
        }
        long[] total = new long[nodes.size()];
        for (WeightedScore ws : scores) {
            if (state.skipScore().contains(ws.plugin().name())) {
                continue;
            }
            long[] each = new long[nodes.size()];
            for (int i = 0; i < nodes.size(); i++) {
                each[i] = ws.plugin().score(state, pod, nodes.get(i));
            }
            ws.plugin().normalize(state, pod, nodes, each);
            for (int i = 0; i < each.length; i++) {
                total[i] += each[i] * ws.weight();
            }
        }
        return total;
    }

    /** Reserves with every Reserve plugin; on a failure, unreserves those already done. */
    public Status runReserve(CycleState state, PodInfo pod, String node) {
        for (int i = 0; i < reserves.size(); i++) {
            Status s = reserves.get(i).reserve(state, pod, node);
            if (!s.isSuccess()) {
                for (int j = i; j >= 0; j--) {
                    reserves.get(j).unreserve(state, pod, node);
                }
                return s.withPlugin(reserves.get(i).name());
            }
        }
        return Status.SUCCESS;
    }

    public void runUnreserve(CycleState state, PodInfo pod, String node) {
        for (int j = reserves.size() - 1; j >= 0; j--) {
            reserves.get(j).unreserve(state, pod, node);
        }
    }

    /** Every PreBind plugin in order; the first that does not succeed stops the binding. */
    public Status runPreBind(CycleState state, PodInfo pod, String node) {
        for (Plugin.PreBind p : preBinds) {
            Status s = p.preBind(state, pod, node);
            if (!s.isSuccess() && !s.isSkip()) {
                return s.withPlugin(p.name());
            }
        }
        return Status.SUCCESS;
    }

    /** The first Bind plugin that does not Skip binds. */
    public Status runBind(PodInfo pod, String node) {
        for (Plugin.Bind b : binds) {
            Status s = b.bind(pod, node);
            if (!s.isSkip()) {
                return s.withPlugin(b.name());
            }
        }
        return Status.error("no bind plugin bound the pod");
    }

    /** The names of the plugins of this profile, in order of first appearance (for logs). */
    public Set<String> pluginNames() {
        Set<String> names = new LinkedHashSet<>();
        preFilters.forEach(p -> names.add(p.name()));
        filters.forEach(p -> names.add(p.name()));
        postFilters.forEach(p -> names.add(p.name()));
        preScores.forEach(p -> names.add(p.name()));
        scores.forEach(p -> names.add(p.plugin().name()));
        reserves.forEach(p -> names.add(p.name()));
        preBinds.forEach(p -> names.add(p.name()));
        binds.forEach(p -> names.add(p.name()));
        return names;
    }
}
