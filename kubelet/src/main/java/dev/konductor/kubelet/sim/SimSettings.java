package dev.konductor.kubelet.sim;

/**
 * The simulated nodes' shape.
 *
 * @param namePrefix nodes are called {@code <prefix>-0 ... <prefix>-(N-1)}, or just the prefix when N is 1
 * @param nodes      how many
 * @param cpu        allocatable CPU per node, a quantity ("32")
 * @param memory     allocatable memory per node, a quantity ("256Gi")
 * @param pods       pod capacity per node
 */
public record SimSettings(String namePrefix, int nodes, String cpu, String memory, int pods) {
}
