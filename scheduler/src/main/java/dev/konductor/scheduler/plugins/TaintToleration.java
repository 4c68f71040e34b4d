package dev.konductor.scheduler.plugins;

import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.Plugin;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/**
 * Filters out nodes with a NoSchedule or NoExecute taint the pod does not tolerate; scores
 * nodes lower the more PreferNoSchedule taints the pod does not tolerate.
 */
public final class TaintToleration implements Plugin.Filter, Plugin.Score {

    public static final String NAME = "TaintToleration";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        Taint taint = Tolerations.firstUntolerated(NodeInfo.taints(node.node()),
                pod.pod().getSpec().getTolerations(), Tolerations::noScheduleOrNoExecute);
        if (taint == null) {
            return Status.SUCCESS;
        }
        return Status.unresolvable("node(s) had untolerated taint {" + Tolerations.nullToEmpty(taint.getKey()) + ": "
                + Tolerations.nullToEmpty(taint.getValue()) + "}");
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        List<Taint> taints = NodeInfo.taints(node.node());
        if (taints.isEmpty()) {
            return 0; // most nodes: no need to sort out the pod's tolerations
        }
        List<Toleration> preferNoSchedule = pod.pod().getSpec().getTolerations() == null ? List.of()
                : pod.pod().getSpec().getTolerations().stream()
                        .filter(t -> t.getEffect() == null || t.getEffect().isEmpty()
                                || t.getEffect().equals("PreferNoSchedule")).toList();
        long count = 0;
        for (Taint taint : taints) {
            if ("PreferNoSchedule".equals(taint.getEffect()) && !Tolerations.tolerated(preferNoSchedule, taint)) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScoreNormalization.byMax(scores, true);
    }
}
