package dev.konductor.scheduler.plugins;

import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.Plugin;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

/** Keeps pods off cordoned nodes (spec.unschedulable) unless they tolerate the unschedulable taint. */
public final class NodeUnschedulable implements Plugin.Filter {

    public static final String NAME = "NodeUnschedulable";
    static final String REASON = "node(s) were unschedulable";
    private static final Taint UNSCHEDULABLE = new TaintBuilder().withKey("node.kubernetes.io/unschedulable")
            .withEffect("NoSchedule").build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        if (!NodeInfo.unschedulable(node.node())) {
            return Status.SUCCESS;
        }
        if (Tolerations.tolerated(pod.pod().getSpec().getTolerations(), UNSCHEDULABLE)) {
            return Status.SUCCESS;
        }
        return Status.unresolvable(REASON);
    }
}
