package dev.konductor.kubelet.metrics;

import java.math.BigDecimal;

/** What a container, pod or node uses: CPU in cores (a rate) and memory in bytes (a working set). */
public record Usage(BigDecimal cpuCores, BigDecimal memoryBytes) {

    public static final Usage ZERO = new Usage(BigDecimal.ZERO, BigDecimal.ZERO);

    public Usage {
        if (cpuCores.signum() < 0 || memoryBytes.signum() < 0) {
            throw new IllegalArgumentException("usage must not be negative: cpu " + cpuCores + ", memory " + memoryBytes);
        }
    }

    public Usage plus(Usage other) {
        return new Usage(cpuCores.add(other.cpuCores), memoryBytes.add(other.memoryBytes));
    }

    public Usage times(int n) {
        BigDecimal factor = BigDecimal.valueOf(n);
        return new Usage(cpuCores.multiply(factor), memoryBytes.multiply(factor));
    }
}
