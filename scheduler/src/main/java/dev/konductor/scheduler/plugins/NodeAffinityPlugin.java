package dev.konductor.scheduler.plugins;

import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.NodeSelectorTerms;
import dev.konductor.scheduler.framework.Plugin;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.List;
import java.util.Map;

/**
 * spec.nodeSelector and required node affinity as a filter; preferred node affinity as a
 * score (the sum of the weights of the matching preferences, scaled to 0..100).
 */
public final class NodeAffinityPlugin implements Plugin.Filter, Plugin.Score {

    public static final String NAME = "NodeAffinity";
    static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return requiredMatches(pod.pod(), node.node()) ? Status.SUCCESS : Status.unresolvable(REASON);
    }

    /** Whether {@code node} satisfies the pod's nodeSelector and required node affinity (also used by PodTopologySpread). */
    public static boolean requiredMatches(Pod pod, Node node) {
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        if (selector != null && !selector.isEmpty()) {
            Map<String, String> labels = NodeSelectorTerms.labels(node);
            for (Map.Entry<String, String> e : selector.entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        NodeAffinity affinity = nodeAffinity(pod);
        if (affinity == null || affinity.getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return true;
        }
        return NodeSelectorTerms.anyMatches(
                affinity.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms(), node);
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        NodeAffinity affinity = nodeAffinity(pod.pod());
        if (affinity == null) {
            return 0;
        }
        List<PreferredSchedulingTerm> preferred = affinity.getPreferredDuringSchedulingIgnoredDuringExecution();
        if (preferred == null) {
            return 0;
        }
        long score = 0;
        for (PreferredSchedulingTerm t : preferred) {
            int weight = t.getWeight() == null ? 0 : t.getWeight();
            if (weight != 0 && NodeSelectorTerms.matches(t.getPreference(), node.node())) {
                score += weight;
            }
        }
        return score;
    }

    @Override
    public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScoreNormalization.byMax(scores, false);
    }

    private static NodeAffinity nodeAffinity(Pod pod) {
        return pod.getSpec().getAffinity() == null ? null : pod.getSpec().getAffinity().getNodeAffinity();
    }
}
