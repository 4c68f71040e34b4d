package dev.konductor.scheduler.plugins;

import java.util.List;

/**
 * NodeResourcesFitArgs.scoringStrategy: how NodeResourcesFit scores a node by the share of its
 * allocatable resources the pod's requests would use.
 *
 * @param shape for RequestedToCapacityRatio: (utilization 0..100, score 0..10) points, ascending
 */
public record ScoringStrategy(Type type, List<ResourceWeight> resources, List<ShapePoint> shape) {

    public enum Type { LeastAllocated, MostAllocated, RequestedToCapacityRatio }

    public record ResourceWeight(String name, int weight) {
        public ResourceWeight {
            if (weight < 1 || weight > 100) {
                throw new IllegalArgumentException("resource weight of " + name + " not in range [1, 100]: " + weight);
            }
        }
    }

    public record ShapePoint(int utilization, int score) {
    }

    public static final List<ResourceWeight> DEFAULT_RESOURCES = List.of(
            new ResourceWeight("cpu", 1), new ResourceWeight("memory", 1));

    /** The default: LeastAllocated over cpu and memory, weight 1 each. */
    public static final ScoringStrategy DEFAULT = new ScoringStrategy(Type.LeastAllocated, DEFAULT_RESOURCES, List.of());

    public ScoringStrategy {
        resources = resources == null || resources.isEmpty() ? DEFAULT_RESOURCES : List.copyOf(resources);
        shape = shape == null ? List.of() : List.copyOf(shape);
        if (type == Type.RequestedToCapacityRatio && shape.isEmpty()) {
            throw new IllegalArgumentException("scoringStrategy.requestedToCapacityRatio.shape: Required value");
        }
    }
}
