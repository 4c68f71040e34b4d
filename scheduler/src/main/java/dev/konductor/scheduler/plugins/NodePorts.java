package dev.konductor.scheduler.plugins;

import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.HostPort;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.Plugin;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Snapshot;
import dev.konductor.scheduler.framework.Status;

/** A pod's host ports must be free on the node (same protocol and port, overlapping address). */
public final class NodePorts implements Plugin.PreFilter, Plugin.Filter {

    public static final String NAME = "NodePorts";
    static final String REASON = "node(s) didn't have free ports for the requested pod ports";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        return pod.hostPorts().isEmpty() ? Status.SKIP : Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        for (HostPort wanted : pod.hostPorts()) {
            if (node.portInUse(wanted)) {
                return Status.unschedulable(REASON);
            }
        }
        return Status.SUCCESS;
    }
}
