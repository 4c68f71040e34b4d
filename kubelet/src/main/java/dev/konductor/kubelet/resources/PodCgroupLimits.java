package dev.konductor.kubelet.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The limits of a pod's own cgroup ({@code /kubepods/<qos>/pod<uid>}), as upstream's pod
 * container manager sets them: cpu shares from the pod's cpu request; a CFS quota and a memory
 * limit only when every container has that limit. The pod's figure is the larger of its app
 * containers' sum and its largest init container (init containers run before, one at a time).
 * Pure.
 */
public record PodCgroupLimits(long cpuShares, Optional<Long> cpuQuotaMicros, Optional<Long> memoryLimitBytes) {

    public static PodCgroupLimits of(Pod pod) {
        List<Container> apps = pod.getSpec().getContainers();
        List<Container> inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
        long cpuRequestMilli = effective(apps, inits, c -> milli(ContainerResources.quantity(c, false, "cpu")
                .or(() -> ContainerResources.quantity(c, true, "cpu"))));
        Optional<Long> cpuLimitMilli = allLimited(apps, inits, "cpu")
                ? Optional.of(effective(apps, inits, c -> milli(ContainerResources.quantity(c, true, "cpu")))) : Optional.empty();
        Optional<Long> memoryLimit = allLimited(apps, inits, "memory")
                ? Optional.of(effective(apps, inits, c -> ContainerResources.quantity(c, true, "memory").map(BigDecimal::longValue)
                .orElse(0L))) : Optional.empty();
        return new PodCgroupLimits(ContainerResources.shares(cpuRequestMilli),
                cpuLimitMilli.map(ContainerResources::quota), memoryLimit);
    }

    private static boolean allLimited(List<Container> apps, List<Container> inits, String resource) {
        return java.util.stream.Stream.concat(apps.stream(), inits.stream())
                .allMatch(c -> ContainerResources.quantity(c, true, resource).filter(q -> q.signum() > 0).isPresent());
    }

    private static long effective(List<Container> apps, List<Container> inits, Function<Container, Long> amount) {
        long sum = apps.stream().mapToLong(amount::apply).sum();
        long sidecars = inits.stream().filter(c -> "Always".equals(c.getRestartPolicy())).mapToLong(amount::apply).sum();
        long largestInit = inits.stream().filter(c -> !"Always".equals(c.getRestartPolicy())).mapToLong(amount::apply).max().orElse(0);
        return Math.max(sum + sidecars, largestInit + sidecars);
    }

    private static long milli(Optional<BigDecimal> cpu) {
        return cpu.map(c -> c.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValue()).orElse(0L);
    }
}
