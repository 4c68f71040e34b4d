package dev.konductor.kubelet.resources;

import dev.konductor.kubelet.cri.v1.LinuxContainerResources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A container's requests and limits as the cgroup settings upstream's kubelet hands the runtime
 * (calculateLinuxResources, GetContainerOOMScoreAdjust): cpu shares from the cpu request (the
 * limit when only that is set; 2 when neither), a CFS quota over a 100 ms period from the cpu
 * limit, the memory limit in bytes, and an OOM score adjustment by QoS class (Guaranteed -997,
 * BestEffort 1000, Burstable between 3 and 999 by the share of the node's memory it requests).
 * containerd here runs with {@code restrict_oom_score_adj}: it raises a score below its own to
 * its own, which only makes a Guaranteed container as killable as containerd itself.
 */
public final class ContainerResources {

    static final long CPU_PERIOD_MICROS = 100_000;
    static final long MIN_SHARES = 2;
    static final long MAX_SHARES = 262_144;
    static final long MIN_QUOTA_MICROS = 1_000;
    static final int GUARANTEED_OOM_SCORE_ADJ = -997;
    static final int BEST_EFFORT_OOM_SCORE_ADJ = 1000;

    private ContainerResources() {
    }

    /** For the node this runs on (its memory from {@code /proc/meminfo}). */
    public static LinuxContainerResources linux(Pod pod, Container container) {
        return linux(pod, container, nodeMemoryBytes());
    }

    public static LinuxContainerResources linux(Pod pod, Container container, long nodeMemoryBytes) {
        Optional<BigDecimal> cpuRequest = quantity(container, false, "cpu");
        Optional<BigDecimal> cpuLimit = quantity(container, true, "cpu");
        Optional<BigDecimal> memoryLimit = quantity(container, true, "memory");
        long requestMilli = milli(cpuRequest.or(() -> cpuLimit));
        LinuxContainerResources.Builder out = LinuxContainerResources.newBuilder()
                .setCpuShares(shares(requestMilli))
                .setOomScoreAdj(oomScoreAdj(pod, container, nodeMemoryBytes));
        long limitMilli = milli(cpuLimit);
        if (limitMilli > 0) {
            out.setCpuPeriod(CPU_PERIOD_MICROS).setCpuQuota(quota(limitMilli));
        }
        memoryLimit.ifPresent(bytes -> out.setMemoryLimitInBytes(bytes.longValue()));
        return out.build();
    }

    static long shares(long milliCpu) {
        if (milliCpu == 0) {
            return MIN_SHARES;
        }
        return Math.min(MAX_SHARES, Math.max(MIN_SHARES, milliCpu * 1024 / 1000));
    }

    static long quota(long milliCpu) {
        return Math.max(MIN_QUOTA_MICROS, milliCpu * CPU_PERIOD_MICROS / 1000);
    }

    static int oomScoreAdj(Pod pod, Container container, long nodeMemoryBytes) {
        return switch (QosClasses.of(pod)) {
            case QosClasses.GUARANTEED -> GUARANTEED_OOM_SCORE_ADJ;
            case QosClasses.BEST_EFFORT -> BEST_EFFORT_OOM_SCORE_ADJ;
            default -> {
                long request = quantity(container, false, "memory").map(BigDecimal::longValue).orElse(0L);
                long adj = nodeMemoryBytes <= 0 ? BEST_EFFORT_OOM_SCORE_ADJ
                        : 1000 - BigDecimal.valueOf(1000).multiply(BigDecimal.valueOf(request))
                        .divideToIntegralValue(BigDecimal.valueOf(nodeMemoryBytes)).longValue();
                if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) {
                    yield 1000 + GUARANTEED_OOM_SCORE_ADJ;
                }
                yield adj >= BEST_EFFORT_OOM_SCORE_ADJ ? BEST_EFFORT_OOM_SCORE_ADJ - 1 : (int) adj;
            }
        };
    }

    static Optional<BigDecimal> quantity(Container container, boolean limit, String resource) {
        if (container.getResources() == null) {
            return Optional.empty();
        }
        Map<String, Quantity> values = limit ? container.getResources().getLimits() : container.getResources().getRequests();
        if (values == null || values.get(resource) == null) {
            return Optional.empty();
        }
        return Optional.of(values.get(resource).getNumericalAmount());
    }

    private static long milli(Optional<BigDecimal> cpu) {
        return cpu.map(c -> c.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValue()).orElse(0L);
    }

    private static long nodeMemoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.split("\\s+")[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no figure: Burstable containers get BestEffort's score, the safe side
        }
        return 0;
    }
}
