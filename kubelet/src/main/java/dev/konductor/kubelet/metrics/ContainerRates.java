package dev.konductor.kubelet.metrics;

import dev.konductor.kubelet.cri.v1.ContainerStats;
import dev.konductor.kubelet.runtime.RuntimeLabels;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns successive rounds of CRI container stats into usage per pod: CPU as the rate between a
 * container's cumulative counter now and at the previous round, memory as its working set. A
 * container seen for the first time has no rate yet, so it shows from its second round on. Not
 * thread-safe: one caller, one round at a time.
 */
final class ContainerRates {

    /** A pod's usage by container name, sampled at {@code timestamp} over {@code window}. */
    record PodSample(Map<String, Usage> containers, Instant timestamp, Duration window) {
    }

    private Map<String, CpuSample> previous = Map.of();

    /** Usage by pod UID from this round of stats (containers of other pods, or without rates, left out). */
    Map<String, PodSample> next(Iterable<ContainerStats> round) {
        Map<String, CpuSample> current = new HashMap<>();
        Map<String, PodSample> pods = new LinkedHashMap<>();
        for (ContainerStats stats : round) {
            String podUid = stats.getAttributes().getLabelsOrDefault(RuntimeLabels.POD_UID, "");
            String container = stats.getAttributes().getLabelsOrDefault(RuntimeLabels.CONTAINER_NAME,
                    stats.getAttributes().getMetadata().getName());
            if (podUid.isEmpty() || !stats.hasCpu() || !stats.getCpu().hasUsageCoreNanoSeconds()) {
                continue;
            }
            CpuSample sample = new CpuSample(stats.getCpu().getUsageCoreNanoSeconds().getValue(),
                    instant(stats.getCpu().getTimestamp()));
            String id = stats.getAttributes().getId();
            current.put(id, sample);
            CpuSample earlier = previous.get(id);
            Optional<BigDecimal> cores = earlier == null ? Optional.empty() : sample.coresSince(earlier);
            if (cores.isEmpty()) {
                continue;
            }
            long workingSet = stats.hasMemory() ? stats.getMemory().getWorkingSetBytes().getValue() : 0;
            Usage usage = new Usage(cores.get(), BigDecimal.valueOf(workingSet));
            Duration window = Duration.between(earlier.at(), sample.at());
            pods.merge(podUid, new PodSample(Map.of(container, usage), sample.at(), window), ContainerRates::merge);
        }
        previous = current;
        return pods;
    }

    private static PodSample merge(PodSample a, PodSample b) {
        Map<String, Usage> containers = new LinkedHashMap<>(a.containers());
        containers.putAll(b.containers());
        return new PodSample(containers, a.timestamp().isAfter(b.timestamp()) ? a.timestamp() : b.timestamp(),
                a.window().compareTo(b.window()) >= 0 ? a.window() : b.window());
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
