package dev.konductor.kubelet.pods;

import dev.konductor.api.dns.ResolvConf;
import com.google.protobuf.ByteString;
import dev.konductor.kubelet.cri.v1.ContainerConfig;
import dev.konductor.kubelet.cri.v1.DNSConfig;
import dev.konductor.kubelet.cri.v1.ContainerMetadata;
import dev.konductor.kubelet.cri.v1.ImageSpec;
import dev.konductor.kubelet.cri.v1.KeyValue;
import dev.konductor.kubelet.cri.v1.LinuxContainerConfig;
import dev.konductor.kubelet.cri.v1.LinuxPodSandboxConfig;
import dev.konductor.kubelet.cri.v1.NamespaceMode;
import dev.konductor.kubelet.cri.v1.NamespaceOption;
import dev.konductor.kubelet.cri.v1.PodSandboxConfig;
import dev.konductor.kubelet.cri.v1.PodSandboxMetadata;
import dev.konductor.kubelet.cri.v1.PortMapping;
import dev.konductor.kubelet.cri.v1.Protocol;
import dev.konductor.kubelet.env.Expansion;
import dev.konductor.kubelet.resources.ContainerResources;
import dev.konductor.kubelet.runtime.RuntimeLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The CRI configurations of a pod's sandbox and containers, as upstream's kubelet builds them
 * (generatePodSandboxConfig, generateContainerConfig): the same labels and annotations, logs in
 * {@code LOGROOT/NAMESPACE_NAME_UID/CONTAINER/RESTARTCOUNT.log}, the pod's cgroup under
 * {@code /kubepods/<qos>/pod<uid>} (cgroupfs). Pure.
 */
public final class SandboxConfigs {

    public static final long DEFAULT_GRACE_PERIOD_SECONDS = 30;

    private SandboxConfigs() {
    }

    /** A sandbox whose resolver settings do not matter (an existing one, found ready). */
    public static PodSandboxConfig sandbox(Pod pod, int attempt, Path logRoot) {
        return sandbox(pod, attempt, logRoot, Optional.empty());
    }

    /**
     * A sandbox; {@code dns} is the pod's resolv.conf as {@link dev.konductor.api.dns.PodDns}
     * computed it (empty leaves the runtime's default, the host's file).
     */
    public static PodSandboxConfig sandbox(Pod pod, int attempt, Path logRoot, Optional<ResolvConf> dns) {
        var meta = pod.getMetadata();
        PodSandboxConfig.Builder config = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(meta.getName()).setNamespace(meta.getNamespace())
                        .setUid(meta.getUid()).setAttempt(attempt))
                // on the node's network the pod has the node's UTS namespace too, and its name
                .setHostname(Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) ? "" : hostname(pod))
                .setLogDirectory(podLogDirectory(pod, logRoot).toString())
                .putLabels(RuntimeLabels.POD_NAME, meta.getName())
                .putLabels(RuntimeLabels.POD_NAMESPACE, meta.getNamespace())
                .putLabels(RuntimeLabels.POD_UID, meta.getUid())
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setCgroupParent(cgroupParent(pod))
                        .setSecurityContext(SecurityContexts.sandbox(pod, namespaces(pod)))
                        .putAllSysctls(sysctls(pod)));
        config.addAllPortMappings(portMappings(pod));
        dns.ifPresent(resolv -> config.setDnsConfig(DNSConfig.newBuilder().addAllServers(resolv.nameservers())
                .addAllSearches(resolv.searches()).addAllOptions(resolv.options())));
        if (meta.getLabels() != null) {
            meta.getLabels().forEach((k, v) -> {
                if (!k.startsWith("io.kubernetes.")) {
                    config.putLabels(k, v);
                }
            });
        }
        if (meta.getAnnotations() != null) {
            config.putAllAnnotations(meta.getAnnotations());
        }
        return config.build();
    }

    /**
     * The container's CRI configuration; {@code options} (from {@link ContainerOptions}) brings its
     * environment, which also expands {@code $(VAR)} in command and args, and its mounts;
     * {@code processesOf}, the runtime's ID of the container whose process namespace this one
     * joins (an ephemeral container's target).
     */
    public static ContainerConfig container(Pod pod, Container container, int restartCount, RunContainerOptions options,
                                            Optional<String> processesOf) {
        var meta = pod.getMetadata();
        NamespaceOption namespaces = processesOf.map(id -> namespaces(pod).toBuilder().setPid(NamespaceMode.TARGET)
                .setTargetId(id).build()).orElseGet(() -> namespaces(pod));
        ContainerConfig.Builder config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(container.getName()).setAttempt(restartCount))
                .setImage(ImageSpec.newBuilder().setImage(container.getImage()))
                .setLogPath(container.getName() + "/" + restartCount + ".log")
                .setStdin(Boolean.TRUE.equals(container.getStdin()))
                .setStdinOnce(Boolean.TRUE.equals(container.getStdinOnce()))
                .setTty(Boolean.TRUE.equals(container.getTty()))
                .putLabels(RuntimeLabels.POD_NAME, meta.getName())
                .putLabels(RuntimeLabels.POD_NAMESPACE, meta.getNamespace())
                .putLabels(RuntimeLabels.POD_UID, meta.getUid())
                .putLabels(RuntimeLabels.CONTAINER_NAME, container.getName())
                .putAnnotations(RuntimeLabels.CONTAINER_HASH, hash(container))
                .putAnnotations(RuntimeLabels.RESTART_COUNT, Integer.toString(restartCount))
                .putAnnotations(RuntimeLabels.TERMINATION_MESSAGE_PATH,
                        Optional.ofNullable(container.getTerminationMessagePath()).orElse("/dev/termination-log"))
                .putAnnotations(RuntimeLabels.GRACE_PERIOD, Long.toString(gracePeriodSeconds(pod)))
                .putAnnotations(RuntimeLabels.TERMINATION_MESSAGE_POLICY,
                        Optional.ofNullable(container.getTerminationMessagePolicy()).orElse("File"))
                .setLinux(LinuxContainerConfig.newBuilder().setResources(ContainerResources.linux(pod, container))
                        .setSecurityContext(SecurityContexts.container(pod, container, namespaces)));
        UnaryOperator<String> mapping = Expansion.mappingFor(options.env());
        if (container.getCommand() != null) {
            container.getCommand().forEach(c -> config.addCommand(Expansion.expand(c, mapping)));
        }
        if (container.getArgs() != null) {
            container.getArgs().forEach(a -> config.addArgs(Expansion.expand(a, mapping)));
        }
        if (container.getWorkingDir() != null) {
            config.setWorkingDir(container.getWorkingDir());
        }
        options.env().forEach((name, value) -> config.addEnvs(KeyValue.newBuilder().setKey(name)
                .setValue(ByteString.copyFromUtf8(value))));
        config.addAllMounts(options.mounts());
        return config.build();
    }

    /**
     * The pod's network and IPC namespaces are shared, or the node's with {@code hostNetwork} and
     * {@code hostIPC}; each container has its own PID namespace unless {@code shareProcessNamespace}
     * (the pod's) or {@code hostPID} (the node's). The container's config must say so too: CRI's
     * default (POD) would put every container in the sandbox's PID namespace.
     */
    static NamespaceOption namespaces(Pod pod) {
        var spec = pod.getSpec();
        NamespaceMode pid = Boolean.TRUE.equals(spec.getHostPID()) ? NamespaceMode.NODE
                : Boolean.TRUE.equals(spec.getShareProcessNamespace()) ? NamespaceMode.POD : NamespaceMode.CONTAINER;
        return NamespaceOption.newBuilder()
                .setNetwork(Boolean.TRUE.equals(spec.getHostNetwork()) ? NamespaceMode.NODE : NamespaceMode.POD)
                .setPid(pid)
                .setIpc(Boolean.TRUE.equals(spec.getHostIPC()) ? NamespaceMode.NODE : NamespaceMode.POD)
                .build();
    }

    /**
     * The containers' ports that ask for a port on the node ({@code hostPort}), as upstream's
     * kubelet hands them to the runtime; none for a pod on the node's network, which has them all.
     */
    static List<PortMapping> portMappings(Pod pod) {
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return List.of();
        }
        List<PortMapping> mappings = new ArrayList<>();
        for (Container c : Stream.of(PodActionsPlanner.initContainers(pod), pod.getSpec().getContainers())
                .flatMap(List::stream).toList()) {
            for (ContainerPort port : Optional.ofNullable(c.getPorts()).orElse(List.of())) {
                if (port.getHostPort() == null || port.getHostPort() <= 0) {
                    continue;
                }
                PortMapping.Builder mapping = PortMapping.newBuilder().setContainerPort(port.getContainerPort())
                        .setHostPort(port.getHostPort())
                        .setProtocol(switch (Optional.ofNullable(port.getProtocol()).orElse("TCP")) {
                            case "UDP" -> Protocol.UDP;
                            case "SCTP" -> Protocol.SCTP;
                            default -> Protocol.TCP;
                        });
                Optional.ofNullable(port.getHostIP()).filter(ip -> !ip.isEmpty()).ifPresent(mapping::setHostIp);
                mappings.add(mapping.build());
            }
        }
        return mappings;
    }

    /** The pod's sysctls (admitted: upstream's safe ones), by their kernel names. */
    static Map<String, String> sysctls(Pod pod) {
        Map<String, String> out = new LinkedHashMap<>();
        PodAdmission.sysctls(pod).forEach(s -> out.put(PodAdmission.normalized(s.getName()), s.getValue()));
        return out;
    }

    /** A digest of the container's spec: a running container whose hash differs is restarted. */
    public static String hash(Container container) {
        CRC32 crc = new CRC32();
        crc.update(Serialization.asJson(container).getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    public static long gracePeriodSeconds(Pod pod) {
        Long fromDeletion = pod.getMetadata().getDeletionGracePeriodSeconds();
        if (fromDeletion != null) {
            return fromDeletion;
        }
        Long fromSpec = pod.getSpec().getTerminationGracePeriodSeconds();
        return fromSpec != null ? fromSpec : DEFAULT_GRACE_PERIOD_SECONDS;
    }

    public static Path podLogDirectory(Pod pod, Path logRoot) {
        var meta = pod.getMetadata();
        return logRoot.resolve(meta.getNamespace() + "_" + meta.getName() + "_" + meta.getUid());
    }

    /** The pod's host name: spec.hostname or its name, cut to 63 characters without a trailing '-' or '.'. */
    static String hostname(Pod pod) {
        String hostname = pod.getSpec().getHostname() != null && !pod.getSpec().getHostname().isEmpty()
                ? pod.getSpec().getHostname() : pod.getMetadata().getName();
        if (hostname.length() <= 63) {
            return hostname;
        }
        return hostname.substring(0, 63).replaceAll("[-.]+$", "");
    }

    /** cgroupfs path of the pod, by QoS class as upstream's kubelet lays them out. */
    public static String cgroupParent(Pod pod) {
        String qos = pod.getStatus() != null && pod.getStatus().getQosClass() != null
                ? pod.getStatus().getQosClass().toLowerCase(Locale.ROOT) : "besteffort";
        String podDir = "pod" + pod.getMetadata().getUid();
        return switch (qos) {
            case "guaranteed" -> "/kubepods/" + podDir;
            case "burstable" -> "/kubepods/burstable/" + podDir;
            default -> "/kubepods/besteffort/" + podDir;
        };
    }
}
