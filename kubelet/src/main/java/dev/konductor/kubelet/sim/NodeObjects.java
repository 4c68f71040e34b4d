package dev.konductor.kubelet.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfoBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a simulated node looks like through the API: the Node as a kubelet registers it, its
 * status with upstream's conditions, and its Lease in kube-node-lease. Pure functions of the
 * settings and a time.
 */
final class NodeObjects {

    static final String KUBELET_VERSION = "v1.32.0-konductor";
    static final String RUNTIME_VERSION = "sim://1.0.0";
    static final String LEASE_NAMESPACE = "kube-node-lease";
    /** Upstream's node lease duration (kubelet --node-lease-duration-seconds). */
    static final int LEASE_DURATION_SECONDS = 40;
    /**
     * A simulated node serves no kubelet API, so it advertises none (port 0): advertising 10250
     * at its address, which no network routes, would send the API server's logs, exec and
     * port-forward requests off the machine instead of answering them at once.
     */
    static final int KUBELET_PORT = 0;

    private NodeObjects() {
    }

    /** Node {@code name} as the kubelet first registers it, status included. */
    static Node registration(String name, String internalIp, String podCidr, SimSettings settings, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("beta.kubernetes.io/arch", "amd64");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        labels.put("node.kubernetes.io/instance-type", "sim");
        return new NodeBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withLabels(labels)
                    .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                    .addToAnnotations("volumes.kubernetes.io/controller-managed-attach-detach", "true")
                .endMetadata()
                .withNewSpec().withPodCIDR(podCidr).withPodCIDRs(podCidr).endSpec()
                .withStatus(status(name, internalIp, settings, now, null))
                .build();
    }

    /**
     * The status this node posts: capacity and allocatable (the same: nothing is reserved for
     * system daemons), the four conditions with upstream's reasons and messages, heartbeats at
     * {@code now} and transition times kept from {@code previous} when the status did not change.
     */
    static NodeStatus status(String name, String internalIp, SimSettings settings, Instant now, NodeStatus previous) {
        Map<String, Quantity> resources = new LinkedHashMap<>();
        resources.put("cpu", new Quantity(settings.cpu()));
        resources.put("ephemeral-storage", new Quantity(settings.ephemeralStorage()));
        resources.put("hugepages-1Gi", new Quantity("0"));
        resources.put("hugepages-2Mi", new Quantity("0"));
        resources.put("memory", new Quantity(settings.memory()));
        resources.put("pods", new Quantity(Integer.toString(settings.pods())));
        String time = timestamp(now);
        List<NodeCondition> conditions = new ArrayList<>();
        conditions.add(condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available", time, previous));
        conditions.add(condition("DiskPressure", "False", "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure", time, previous));
        conditions.add(condition("PIDPressure", "False", "KubeletHasSufficientPID",
                "kubelet has sufficient PID available", time, previous));
        conditions.add(condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", time, previous));
        String machineId = stableId(name).replace("-", "");
        return new NodeStatusBuilder()
                .withCapacity(resources)
                .withAllocatable(new LinkedHashMap<>(resources))
                .withConditions(conditions)
                .withAddresses(new NodeAddressBuilder().withType("InternalIP").withAddress(internalIp).build(),
                        new NodeAddressBuilder().withType("Hostname").withAddress(name).build())
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(KUBELET_PORT).endKubeletEndpoint()
                        .endDaemonEndpoints()
                .withNodeInfo(new NodeSystemInfoBuilder()
                        .withMachineID(machineId)
                        .withSystemUUID(stableId(name + "/system"))
                        .withBootID(stableId(name + "/boot"))
                        .withKernelVersion("6.1.0-sim")
                        .withOsImage("Konductor simulated node")
                        .withContainerRuntimeVersion(RUNTIME_VERSION)
                        .withKubeletVersion(KUBELET_VERSION)
                        .withKubeProxyVersion("")
                        .withOperatingSystem("linux")
                        .withArchitecture("amd64")
                        .build())
                .build();
    }

    /** The node's Lease held by itself, renewed at {@code now}, owned by the Node (as upstream). */
    static Lease lease(Node node, Instant now) {
        String name = node.getMetadata().getName();
        return new LeaseBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(LEASE_NAMESPACE)
                    .addNewOwnerReference().withApiVersion("v1").withKind("Node").withName(name)
                        .withUid(node.getMetadata().getUid()).endOwnerReference()
                .endMetadata()
                .withNewSpec()
                    .withHolderIdentity(name)
                    .withLeaseDurationSeconds(LEASE_DURATION_SECONDS)
                    .withRenewTime(microTime(now))
                .endSpec()
                .build();
    }

    static ZonedDateTime microTime(Instant now) {
        return ZonedDateTime.ofInstant(now.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static String timestamp(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static NodeCondition condition(String type, String status, String reason, String message, String now,
                                           NodeStatus previous) {
        String transition = now;
        if (previous != null && previous.getConditions() != null) {
            for (NodeCondition old : previous.getConditions()) {
                if (type.equals(old.getType()) && status.equals(old.getStatus()) && old.getLastTransitionTime() != null) {
                    transition = old.getLastTransitionTime();
                }
            }
        }
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(now).withLastTransitionTime(transition).build();
    }

    private static String stableId(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
