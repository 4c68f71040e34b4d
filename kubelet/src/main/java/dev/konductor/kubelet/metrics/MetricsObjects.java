package dev.konductor.kubelet.metrics;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * metrics.k8s.io PodMetrics and NodeMetrics as metrics-server serves them: usage per container,
 * the pod's (or node's) labels, so that label selectors on the metrics API select as on pods, the
 * sample time and the window the usage was averaged over. Each object is owned by its pod or
 * node, so the garbage collector removes what a crashed node left behind. Pure.
 */
public final class MetricsObjects {

    private static final BigDecimal NANO = BigDecimal.valueOf(1_000_000_000L);
    private static final BigInteger KIBI = BigInteger.valueOf(1024);

    private MetricsObjects() {
    }

    /** {@code pod}'s metrics: one entry per container, in the order given. */
    public static PodMetrics podMetrics(Pod pod, Map<String, Usage> containers, Instant timestamp, Duration window) {
        PodMetricsBuilder b = new PodMetricsBuilder()
                .withNewMetadata()
                    .withName(pod.getMetadata().getName())
                    .withNamespace(pod.getMetadata().getNamespace())
                    .withLabels(pod.getMetadata().getLabels())
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
                            .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build())
                .endMetadata()
                .withTimestamp(timestamp(timestamp))
                .withWindow(new io.fabric8.kubernetes.api.model.Duration(window));
        containers.forEach((name, usage) -> b.addToContainers(new ContainerMetricsBuilder().withName(name)
                .withUsage(usage(usage)).build()));
        return b.build();
    }

    public static NodeMetrics nodeMetrics(Node node, Usage usage, Instant timestamp, Duration window) {
        return new NodeMetricsBuilder()
                .withNewMetadata()
                    .withName(node.getMetadata().getName())
                    .withLabels(node.getMetadata().getLabels())
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                            .withName(node.getMetadata().getName()).withUid(node.getMetadata().getUid()).build())
                .endMetadata()
                .withTimestamp(timestamp(timestamp))
                .withWindow(new io.fabric8.kubernetes.api.model.Duration(window))
                .withUsage(usage(usage))
                .build();
    }

    private static Map<String, Quantity> usage(Usage usage) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        out.put("cpu", cpu(usage.cpuCores()));
        out.put("memory", memory(usage.memoryBytes()));
        return out;
    }

    /** CPU as metrics-server writes it: nanocores, or millicores when exact. */
    public static Quantity cpu(BigDecimal cores) {
        BigInteger nanos = cores.multiply(NANO).setScale(0, RoundingMode.HALF_UP).toBigIntegerExact();
        BigInteger[] millis = nanos.divideAndRemainder(BigInteger.valueOf(1_000_000));
        return millis[1].signum() == 0 ? new Quantity(millis[0] + "m") : new Quantity(nanos + "n");
    }

    /** Memory in Ki, as metrics-server writes it, or bytes when not a whole number of Ki. */
    public static Quantity memory(BigDecimal bytes) {
        BigInteger whole = bytes.setScale(0, RoundingMode.HALF_UP).toBigIntegerExact();
        BigInteger[] ki = whole.divideAndRemainder(KIBI);
        return ki[1].signum() == 0 ? new Quantity(ki[0] + "Ki") : new Quantity(whole.toString());
    }

    static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
