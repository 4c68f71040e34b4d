package dev.konductor.scheduler.plugins;

import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.Plugin;
import dev.konductor.scheduler.framework.PodInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * NodeResourcesBalancedAllocation: prefers nodes whose CPU and memory would be used in similar
 * proportions with the pod on them (score = (1 - standard deviation of the fractions) * 100).
 */
public final class BalancedAllocation implements Plugin.Score {

    public static final String NAME = "NodeResourcesBalancedAllocation";

    private final List<String> resources;

    public BalancedAllocation(List<String> resources) {
        this.resources = List.copyOf(resources);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        List<Double> fractions = new ArrayList<>();
        for (String r : resources) {
            ResourceAllocation a = ResourceAllocation.of(node, pod, r, true);
            if (a.allocatable() == 0) {
                continue;
            }
            fractions.add(Math.min(1.0, (double) a.requested() / a.allocatable()));
        }
        double std = 0;
        if (fractions.size() == 2) {
            std = Math.abs((fractions.get(0) - fractions.get(1)) / 2);
        } else if (fractions.size() > 2) {
            double mean = fractions.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double variance = fractions.stream().mapToDouble(f -> (f - mean) * (f - mean)).sum() / fractions.size();
            std = Math.sqrt(variance);
        }
        return (long) ((1 - std) * MAX_NODE_SCORE);
    }
}
