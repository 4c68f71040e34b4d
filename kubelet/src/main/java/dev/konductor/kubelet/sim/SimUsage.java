package dev.konductor.kubelet.sim;

import dev.konductor.kubelet.metrics.Usage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a simulated pod and node "use", deterministically: every container of a pod uses what the
 * pod's {@link SimAnnotations#CPU_USAGE} and {@link SimAnnotations#MEMORY_USAGE} say (defaults
 * otherwise); a node uses {@link #NODE_BASE} for its own daemons plus its running pods. Pure.
 */
final class SimUsage {

    /** What a node's own daemons use besides its pods. */
    static final Usage NODE_BASE = new Usage(new Quantity("50m").getNumericalAmount(),
            new Quantity("256Mi").getNumericalAmount());

    private SimUsage() {
    }

    /** Usage per container of {@code pod}, in spec order. */
    static Map<String, Usage> containers(Pod pod) {
        Usage each = perContainer(pod);
        Map<String, Usage> out = new LinkedHashMap<>();
        for (Container c : pod.getSpec().getContainers()) {
            out.put(c.getName(), each);
        }
        return out;
    }

    static Usage node(List<Pod> runningPods) {
        Usage total = NODE_BASE;
        for (Pod pod : runningPods) {
            total = total.plus(perContainer(pod).times(pod.getSpec().getContainers().size()));
        }
        return total;
    }

    private static Usage perContainer(Pod pod) {
        return new Usage(quantity(PodLifecycle.annotation(pod, SimAnnotations.CPU_USAGE), SimAnnotations.DEFAULT_CPU_USAGE),
                quantity(PodLifecycle.annotation(pod, SimAnnotations.MEMORY_USAGE), SimAnnotations.DEFAULT_MEMORY_USAGE));
    }

    private static BigDecimal quantity(String value, String fallback) {
        if (value != null && !value.isBlank()) {
            try {
                BigDecimal amount = new Quantity(value.trim()).getNumericalAmount();
                if (amount.signum() >= 0) {
                    return amount;
                }
            } catch (RuntimeException malformed) {
                // a bad annotation reports the default rather than nothing
            }
        }
        return new Quantity(fallback).getNumericalAmount();
    }
}
