package dev.konductor.kubelet.downward;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A container's requests and limits as the downward API exposes them ({@code resourceFieldRef}),
 * by upstream's rules: the value divided by the divisor (1 when unset or zero) and rounded up;
 * CPU in millicores before dividing, the others in bytes; an unset request is 0 and an unset
 * CPU, memory or ephemeral-storage limit is the node's allocatable amount (a container without a
 * limit may use the whole node). Pure.
 */
public final class ContainerResources {

    private static final List<String> DEFAULTED_LIMITS = List.of("cpu", "memory", "ephemeral-storage");

    private ContainerResources() {
    }

    /**
     * The value for {@code selector} of {@code container} (or of the container the selector names,
     * looked up in {@code pod}); IllegalArgumentException with upstream's message otherwise.
     */
    public static String value(ResourceFieldSelector selector, Pod pod, Container container,
                               Map<String, Quantity> nodeAllocatable) {
        Container target = container;
        String named = selector.getContainerName();
        if (named != null && !named.isEmpty()) {
            target = containers(pod).filter(c -> named.equals(c.getName())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("container " + named + " not found"));
        }
        if (target == null) {
            throw new IllegalArgumentException("container name must be specified for resourceFieldRef " + selector.getResource());
        }
        return value(selector, target.getResources(), nodeAllocatable);
    }

    static String value(ResourceFieldSelector selector, ResourceRequirements resources, Map<String, Quantity> nodeAllocatable) {
        String resource = selector.getResource();
        BigDecimal divisor = amount(selector.getDivisor()).filter(d -> d.signum() != 0).orElse(BigDecimal.ONE);
        int dot = resource == null ? -1 : resource.indexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("unsupported container resource : " + resource);
        }
        String kind = resource.substring(0, dot);
        String name = resource.substring(dot + 1);
        boolean supported = DEFAULTED_LIMITS.contains(name) || name.startsWith("hugepages-");
        if (!supported || !(kind.equals("requests") || kind.equals("limits"))) {
            throw new IllegalArgumentException("unsupported container resource : " + resource);
        }
        Map<String, Quantity> values = kind.equals("requests") ? requests(resources) : limits(resources, nodeAllocatable);
        BigDecimal amount = amount(values.get(name)).orElse(BigDecimal.ZERO);
        if (name.equals("cpu")) {
            return Long.toString(ceilDivide(milli(amount), milli(divisor)));
        }
        return Long.toString(ceilDivide(whole(amount), whole(divisor)));
    }

    private static Map<String, Quantity> requests(ResourceRequirements resources) {
        return resources == null || resources.getRequests() == null ? Map.of() : resources.getRequests();
    }

    private static Map<String, Quantity> limits(ResourceRequirements resources, Map<String, Quantity> nodeAllocatable) {
        Map<String, Quantity> limits = new HashMap<>();
        if (resources != null && resources.getLimits() != null) {
            limits.putAll(resources.getLimits());
        }
        for (String name : DEFAULTED_LIMITS) {
            if (!limits.containsKey(name) && nodeAllocatable.containsKey(name)) {
                limits.put(name, nodeAllocatable.get(name));
            }
        }
        return limits;
    }

    private static Stream<Container> containers(Pod pod) {
        var spec = pod.getSpec();
        return Stream.concat(Optional.ofNullable(spec.getContainers()).orElse(List.of()).stream(),
                Optional.ofNullable(spec.getInitContainers()).orElse(List.of()).stream());
    }

    static Optional<BigDecimal> amount(Quantity quantity) {
        if (quantity == null || quantity.getAmount() == null || quantity.getAmount().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Quantity.getAmountInBytes(quantity));
    }

    /** Go's Quantity.MilliValue: rounded up. */
    private static BigDecimal milli(BigDecimal value) {
        return value.movePointRight(3).setScale(0, RoundingMode.CEILING);
    }

    /** Go's Quantity.Value: rounded up. */
    private static BigDecimal whole(BigDecimal value) {
        return value.setScale(0, RoundingMode.CEILING);
    }

    private static long ceilDivide(BigDecimal value, BigDecimal divisor) {
        return value.divide(divisor, 0, RoundingMode.CEILING).longValueExact();
    }
}
