package dev.konductor.scheduler.plugins;

import dev.konductor.scheduler.framework.LabelMatcher;
import dev.konductor.scheduler.framework.NodeSelectorTerms;
import dev.konductor.scheduler.framework.PodInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A topology spread constraint ready to evaluate: the pod's own (with matchLabelKeys folded
 * into the selector) or a cluster default with a selector derived from the pod's owners.
 */
record SpreadConstraint(int maxSkew, String topologyKey, String whenUnsatisfiable, LabelMatcher selector,
                        int minDomains, boolean honorNodeAffinity, boolean honorNodeTaints) {

    static final String DO_NOT_SCHEDULE = "DoNotSchedule";
    static final String SCHEDULE_ANYWAY = "ScheduleAnyway";

    static SpreadConstraint of(TopologySpreadConstraint c, PodInfo pod) {
        List<LabelMatcher> parts = new ArrayList<>();
        parts.add(LabelMatcher.of(c.getLabelSelector()));
        if (c.getMatchLabelKeys() != null && c.getLabelSelector() != null) {
            for (String key : c.getMatchLabelKeys()) {
                String value = pod.labels().get(key);
                if (value != null) {
                    parts.add(LabelMatcher.requirement(key, "In", List.of(value)));
                }
            }
        }
        return new SpreadConstraint(c.getMaxSkew() == null ? 1 : c.getMaxSkew(), c.getTopologyKey(),
                c.getWhenUnsatisfiable(), LabelMatcher.all(parts), c.getMinDomains() == null ? 1 : c.getMinDomains(),
                !"Ignore".equals(c.getNodeAffinityPolicy()), "Honor".equals(c.getNodeTaintsPolicy()));
    }

    /** Whether {@code node} counts for this constraint under its node inclusion policies. */
    boolean includes(PodInfo pod, Node node) {
        if (honorNodeAffinity && !NodeAffinityPlugin.requiredMatches(pod.pod(), node)) {
            return false;
        }
        return !honorNodeTaints || Tolerations.firstUntolerated(dev.konductor.scheduler.framework.NodeInfo.taints(node),
                pod.pod().getSpec().getTolerations(), Tolerations::noScheduleOrNoExecute) == null;
    }

    static boolean nodeHasAllKeys(Node node, List<SpreadConstraint> constraints) {
        Map<String, String> labels = NodeSelectorTerms.labels(node);
        for (SpreadConstraint c : constraints) {
            if (!labels.containsKey(c.topologyKey())) {
                return false;
            }
        }
        return true;
    }

    /** Pods on a node this constraint counts: same namespace as the incoming pod, selected, not terminating. */
    long count(List<PodInfo> pods, String namespace) {
        long n = 0;
        for (PodInfo p : pods) {
            if (!p.terminating() && p.namespace().equals(namespace) && selector.matches(p.labels())) {
                n++;
            }
        }
        return n;
    }
}
