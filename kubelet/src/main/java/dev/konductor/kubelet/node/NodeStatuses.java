package dev.konductor.kubelet.node;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Node object and status the kubelet publishes, as upstream's kubelet builds them:
 * well-known labels, capacity and allocatable (allocatable keeps upstream's default hard
 * eviction thresholds back: 100Mi of memory, 10% of ephemeral storage), the four conditions
 * with upstream's reasons and messages, addresses, daemon endpoint, nodeInfo and images.
 * Conditions keep their lastTransitionTime while their status holds. Pure.
 */
public final class NodeStatuses {

    public static final int MAX_PODS = 110;
    static final long EVICTION_MEMORY = 100L * 1024 * 1024;

    /** Whether the runtime works, and why not. */
    public record RuntimeHealth(boolean ready, String message) {
    }

    /** What goes into nodeInfo and status.images from the runtime. */
    public record RuntimeInfo(String runtimeVersion, List<ContainerImage> images) {
    }

    private NodeStatuses() {
    }

    /** The Node to create; {@code podCidr} null leaves the range to the control plane's node IPAM controller. */
    public static Node registration(String nodeName, String podCidr, Map<String, String> extraLabels) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("beta.kubernetes.io/arch", MachineInfo.goArchitecture(System.getProperty("os.arch")));
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", MachineInfo.goArchitecture(System.getProperty("os.arch")));
        labels.put("kubernetes.io/hostname", nodeName);
        labels.put("kubernetes.io/os", "linux");
        labels.putAll(extraLabels);
        NodeBuilder node = new NodeBuilder()
                .withNewMetadata().withName(nodeName).withLabels(labels)
                .addToAnnotations("volumes.kubernetes.io/controller-managed-attach-detach", "true")
                .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                .endMetadata();
        return podCidr == null
                ? node.withNewSpec().endSpec().build()
                : node.withNewSpec().withPodCIDR(podCidr).withPodCIDRs(podCidr).endSpec().build();
    }

    public static NodeStatus status(NodeStatus old, MachineInfo machine, List<NodeAddress> addresses, int kubeletPort,
                                    String kubeletVersion, RuntimeInfo runtime, RuntimeHealth health, Instant now) {
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(Integer.toString(machine.cpus())));
        capacity.put("ephemeral-storage", new Quantity(kibibytes(machine.ephemeralStorageBytes())));
        capacity.put("hugepages-1Gi", new Quantity("0"));
        capacity.put("hugepages-2Mi", new Quantity("0"));
        capacity.put("memory", new Quantity(kibibytes(machine.memoryBytes())));
        capacity.put("pods", new Quantity(Integer.toString(MAX_PODS)));
        Map<String, Quantity> allocatable = new LinkedHashMap<>(capacity);
        allocatable.put("ephemeral-storage", new Quantity(Long.toString(machine.ephemeralStorageBytes() / 10 * 9)));
        allocatable.put("memory", new Quantity(kibibytes(Math.max(0, machine.memoryBytes() - EVICTION_MEMORY))));

        List<NodeCondition> conditions = new ArrayList<>();
        conditions.add(condition(old, "MemoryPressure", false, "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available", now));
        conditions.add(condition(old, "DiskPressure", false, "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now));
        conditions.add(condition(old, "PIDPressure", false, "KubeletHasSufficientPID", "kubelet has sufficient PID available", now));
        conditions.add(health.ready()
                ? condition(old, "Ready", true, "KubeletReady", "kubelet is posting ready status", now)
                : condition(old, "Ready", false, "KubeletNotReady", health.message(), now));

        return new NodeStatusBuilder()
                .withCapacity(capacity)
                .withAllocatable(allocatable)
                .withConditions(conditions)
                .withAddresses(addresses)
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubeletPort).endKubeletEndpoint().endDaemonEndpoints()
                .withNewNodeInfo()
                .withMachineID(machine.machineId())
                .withSystemUUID(machine.systemUuid())
                .withBootID(machine.bootId())
                .withKernelVersion(machine.kernelVersion())
                .withOsImage(machine.osImage())
                .withContainerRuntimeVersion(runtime.runtimeVersion())
                .withKubeletVersion(kubeletVersion)
                .withKubeProxyVersion(kubeletVersion)
                .withOperatingSystem("linux")
                .withArchitecture(machine.architecture())
                .endNodeInfo()
                .withImages(runtime.images())
                .build();
    }

    private static NodeCondition condition(NodeStatus old, String type, boolean value, String reason, String message,
                                           Instant now) {
        String status = value ? "True" : "False";
        String since = old == null || old.getConditions() == null ? null : old.getConditions().stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(NodeCondition::getLastTransitionTime).findFirst().orElse(null);
        String stamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(stamp).withLastTransitionTime(since != null ? since : stamp).build();
    }

    private static String kibibytes(long bytes) {
        return (bytes / 1024) + "Ki";
    }
}
