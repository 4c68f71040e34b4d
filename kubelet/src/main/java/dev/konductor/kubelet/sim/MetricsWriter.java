package dev.konductor.kubelet.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes metrics.k8s.io PodMetrics and NodeMetrics as metrics-server would serve them: usage per
 * container (deterministic: from the pod's {@link SimAnnotations#CPU_USAGE} and
 * {@link SimAnnotations#MEMORY_USAGE}), the pod's labels (so label selectors on the metrics API
 * select as on pods), the sample time and the window it covers. Each object is owned by its pod
 * or node, so a garbage collector removes what a crashed node left behind.
 */
final class MetricsWriter {

    static final ResourceDefinitionContext POD_METRICS = new ResourceDefinitionContext.Builder()
            .withGroup("metrics.k8s.io").withVersion("v1beta1").withPlural("pods").withKind("PodMetrics")
            .withNamespaced(true).build();
    static final ResourceDefinitionContext NODE_METRICS = new ResourceDefinitionContext.Builder()
            .withGroup("metrics.k8s.io").withVersion("v1beta1").withPlural("nodes").withKind("NodeMetrics")
            .withNamespaced(false).build();
    /** What a node's own daemons use besides its pods. */
    static final String NODE_BASE_CPU = "50m";
    static final String NODE_BASE_MEMORY = "256Mi";

    private static final BigDecimal NANO = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal KIBI = BigDecimal.valueOf(1024);

    private final KubernetesClient client;
    /** Keys of metrics objects this writer knows to exist, so a report is one PUT, not POST then PUT. */
    private final Set<String> existing = ConcurrentHashMap.newKeySet();

    MetricsWriter(KubernetesClient client) {
        this.client = client;
    }

    /** The pod's metrics over {@code window} ending {@code now}. */
    static PodMetrics podMetrics(Pod pod, Instant now, Duration window) {
        PodMetricsBuilder b = new PodMetricsBuilder()
                .withNewMetadata()
                    .withName(pod.getMetadata().getName())
                    .withNamespace(pod.getMetadata().getNamespace())
                    .withLabels(pod.getMetadata().getLabels())
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
                            .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build())
                .endMetadata()
                .withTimestamp(NodeObjects.timestamp(now))
                .withWindow(new io.fabric8.kubernetes.api.model.Duration(window));
        for (Container c : pod.getSpec().getContainers()) {
            Map<String, Quantity> usage = new LinkedHashMap<>();
            usage.put("cpu", cpu(containerCpu(pod)));
            usage.put("memory", memory(containerMemory(pod)));
            b.addToContainers(new ContainerMetricsBuilder().withName(c.getName()).withUsage(usage).build());
        }
        return b.build();
    }

    /** A node's metrics: its own base usage plus its running pods'. */
    static NodeMetrics nodeMetrics(Node node, List<Pod> runningPods, Instant now, Duration window) {
        BigDecimal cpu = new Quantity(NODE_BASE_CPU).getNumericalAmount();
        BigDecimal memory = new Quantity(NODE_BASE_MEMORY).getNumericalAmount();
        for (Pod pod : runningPods) {
            int containers = pod.getSpec().getContainers().size();
            cpu = cpu.add(containerCpu(pod).multiply(BigDecimal.valueOf(containers)));
            memory = memory.add(containerMemory(pod).multiply(BigDecimal.valueOf(containers)));
        }
        Map<String, Quantity> usage = new LinkedHashMap<>();
        usage.put("cpu", cpu(cpu));
        usage.put("memory", memory(memory));
        return new NodeMetricsBuilder()
                .withNewMetadata()
                    .withName(node.getMetadata().getName())
                    .withLabels(node.getMetadata().getLabels())
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                            .withName(node.getMetadata().getName()).withUid(node.getMetadata().getUid()).build())
                .endMetadata()
                .withTimestamp(NodeObjects.timestamp(now))
                .withWindow(new io.fabric8.kubernetes.api.model.Duration(window))
                .withUsage(usage)
                .build();
    }

    void write(PodMetrics metrics) {
        upsert(POD_METRICS, metrics);
    }

    void write(NodeMetrics metrics) {
        upsert(NODE_METRICS, metrics);
    }

    void deletePodMetrics(String namespace, String name) {
        existing.remove(key(POD_METRICS, namespace, name));
        try {
            client.genericKubernetesResources(POD_METRICS).inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void upsert(ResourceDefinitionContext context, HasMetadata metrics) {
        GenericKubernetesResource generic = client.getKubernetesSerialization()
                .convertValue(metrics, GenericKubernetesResource.class);
        generic.setApiVersion("metrics.k8s.io/v1beta1");
        generic.setKind(context.getKind());
        String namespace = metrics.getMetadata().getNamespace();
        String key = key(context, namespace, metrics.getMetadata().getName());
        var resources = client.genericKubernetesResources(context);
        var op = namespace == null ? resources.resource(generic) : resources.inNamespace(namespace).resource(generic);
        if (existing.contains(key)) {
            try {
                op.update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                existing.remove(key);
            }
        }
        try {
            op.create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            op.update();
        }
        existing.add(key);
    }

    private static String key(ResourceDefinitionContext context, String namespace, String name) {
        return context.getPlural() + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }

    private static BigDecimal containerCpu(Pod pod) {
        return quantity(PodLifecycle.annotation(pod, SimAnnotations.CPU_USAGE), SimAnnotations.DEFAULT_CPU_USAGE);
    }

    private static BigDecimal containerMemory(Pod pod) {
        return quantity(PodLifecycle.annotation(pod, SimAnnotations.MEMORY_USAGE), SimAnnotations.DEFAULT_MEMORY_USAGE);
    }

    private static BigDecimal quantity(String value, String fallback) {
        if (value != null && !value.isBlank()) {
            try {
                return new Quantity(value.trim()).getNumericalAmount();
            } catch (RuntimeException malformed) {
                // a bad annotation reports the default rather than nothing
            }
        }
        return new Quantity(fallback).getNumericalAmount();
    }

    /** CPU as metrics-server writes it: nanocores, or millicores when exact. */
    static Quantity cpu(BigDecimal cores) {
        BigInteger nanos = cores.multiply(NANO).setScale(0, java.math.RoundingMode.HALF_UP).toBigIntegerExact();
        BigInteger[] millis = nanos.divideAndRemainder(BigInteger.valueOf(1_000_000));
        return millis[1].signum() == 0 ? new Quantity(millis[0] + "m") : new Quantity(nanos + "n");
    }

    /** Memory in Ki, as metrics-server writes it, or bytes when not a whole number of Ki. */
    static Quantity memory(BigDecimal bytes) {
        BigInteger whole = bytes.setScale(0, java.math.RoundingMode.HALF_UP).toBigIntegerExact();
        BigInteger[] ki = whole.divideAndRemainder(KIBI.toBigInteger());
        return ki[1].signum() == 0 ? new Quantity(ki[0] + "Ki") : new Quantity(whole.toString());
    }
}
