package dev.konductor.scheduler.plugins;

import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.Plugin;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Resources;
import dev.konductor.scheduler.framework.Snapshot;
import dev.konductor.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pod's requests must fit in what the node has left of its allocatable resources (CPU,
 * memory, ephemeral storage, extended resources) and pod count. Scores by the configured
 * {@link ScoringStrategy}.
 */
public final class NodeResourcesFit implements Plugin.PreFilter, Plugin.Filter, Plugin.Score {

    public static final String NAME = "NodeResourcesFit";
    static final String TOO_MANY_PODS = "Too many pods";

    private final ScoringStrategy strategy;

    public NodeResourcesFit(ScoringStrategy strategy) {
        this.strategy = strategy;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        List<String> reasons = insufficient(pod, node);
        return reasons.isEmpty() ? Status.SUCCESS : Status.unschedulable(reasons.toArray(String[]::new));
    }

    /** Every resource the node is short of for the pod, as upstream's reasons ("Insufficient cpu"). */
    static List<String> insufficient(PodInfo pod, NodeInfo node) {
        List<String> reasons = new ArrayList<>();
        Resources want = pod.requests();
        Resources free = node.allocatable();
        Resources used = node.requested();
        if (node.pods().size() + 1 > free.pods()) {
            reasons.add(TOO_MANY_PODS);
        }
        if (want.isZero()) {
            return reasons;
        }
        check(reasons, Resources.CPU, want.milliCpu(), free.milliCpu() - used.milliCpu());
        check(reasons, Resources.MEMORY, want.memory(), free.memory() - used.memory());
        check(reasons, Resources.EPHEMERAL_STORAGE, want.ephemeralStorage(),
                free.ephemeralStorage() - used.ephemeralStorage());
        if (want.scalar().isEmpty()) {
            return reasons; // most pods: no need to sort an empty map for every node
        }
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(want.scalar()).entrySet()) {
            check(reasons, e.getKey(), e.getValue(), free.get(e.getKey()) - used.get(e.getKey()));
        }
        return reasons;
    }

    private static void check(List<String> reasons, String resource, long want, long left) {
        if (want > 0 && want > left) {
            reasons.add("Insufficient " + resource);
        }
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        long total = 0;
        long weights = 0;
        for (ScoringStrategy.ResourceWeight rw : strategy.resources()) {
            ResourceAllocation a = ResourceAllocation.of(node, pod, rw.name(), false);
            if (a.allocatable() == 0) {
                continue;
            }
            total += resourceScore(a) * rw.weight();
            weights += rw.weight();
        }
        return weights == 0 ? 0 : total / weights;
    }

    private long resourceScore(ResourceAllocation a) {
        long capacity = a.allocatable();
        long requested = a.requested();
        return switch (strategy.type()) {
            case LeastAllocated -> requested > capacity ? 0 : (capacity - requested) * MAX_NODE_SCORE / capacity;
            case MostAllocated -> requested > capacity ? MAX_NODE_SCORE : requested * MAX_NODE_SCORE / capacity;
            case RequestedToCapacityRatio -> shapeScore(Math.min(requested, capacity) * MAX_NODE_SCORE / capacity);
        };
    }

    /** The shape's broken line at {@code utilization} (0..100), its 0..10 scores scaled to 0..100. */
    private long shapeScore(long utilization) {
        List<ScoringStrategy.ShapePoint> shape = strategy.shape();
        ScoringStrategy.ShapePoint first = shape.get(0);
        if (utilization <= first.utilization()) {
            return first.score() * 10L;
        }
        for (int i = 1; i < shape.size(); i++) {
            ScoringStrategy.ShapePoint a = shape.get(i - 1);
            ScoringStrategy.ShapePoint b = shape.get(i);
            if (utilization <= b.utilization()) {
                long aScore = a.score() * 10L;
                long bScore = b.score() * 10L;
                return aScore + (bScore - aScore) * (utilization - a.utilization()) / (b.utilization() - a.utilization());
            }
        }
        return shape.get(shape.size() - 1).score() * 10L;
    }
}
