package dev.konductor.kubelet.node;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Node object and status the kubelet publishes, as upstream's kubelet builds them:
 * well-known labels, capacity and allocatable ({@link NodeResources}), the four conditions
 * ({@link NodeConditions}), addresses, daemon endpoint, nodeInfo and images ({@link NodeImages}).
 * Pure.
 */
public final class NodeStatuses {

    /** What does not change while the kubelet runs. */
    public record Description(MachineInfo machine, NodeResources resources, List<NodeAddress> addresses,
                              int kubeletPort, String kubeletVersion) {

        public Description {
            addresses = List.copyOf(addresses);
        }
    }

    /** What the runtime says: its version for nodeInfo and its images. */
    public record RuntimeInfo(String runtimeVersion, List<ContainerImage> images) {

        public RuntimeInfo {
            images = List.copyOf(images);
        }
    }

    /** The status to post and the node events its conditions call for. */
    public record Update(NodeStatus status, List<NodeConditions.Event> events) {
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

    public static Update status(NodeStatus old, Description node, RuntimeInfo runtime, Set<Pressure> pressures,
                                Readiness readiness, Instant now) {
        NodeConditions.Update conditions = NodeConditions.update(old == null ? null : old.getConditions(), pressures,
                readiness, now);
        MachineInfo machine = node.machine();
        NodeStatus status = new NodeStatusBuilder()
                .withCapacity(node.resources().capacity())
                .withAllocatable(node.resources().allocatable())
                .withConditions(conditions.conditions())
                .withAddresses(node.addresses())
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(node.kubeletPort()).endKubeletEndpoint()
                .endDaemonEndpoints()
                .withNewNodeInfo()
                .withMachineID(machine.machineId())
                .withSystemUUID(machine.systemUuid())
                .withBootID(machine.bootId())
                .withKernelVersion(machine.kernelVersion())
                .withOsImage(machine.osImage())
                .withContainerRuntimeVersion(runtime.runtimeVersion())
                .withKubeletVersion(node.kubeletVersion())
                .withKubeProxyVersion(node.kubeletVersion())
                .withOperatingSystem("linux")
                .withArchitecture(machine.architecture())
                .endNodeInfo()
                .withImages(runtime.images())
                .build();
        return new Update(status, conditions.events());
    }
}
