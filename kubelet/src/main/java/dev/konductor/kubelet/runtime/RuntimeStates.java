package dev.konductor.kubelet.runtime;

import dev.konductor.kubelet.cri.v1.Container;
import dev.konductor.kubelet.cri.v1.ContainerFilter;
import dev.konductor.kubelet.cri.v1.ContainerStatus;
import dev.konductor.kubelet.cri.v1.PodIP;
import dev.konductor.kubelet.cri.v1.PodSandbox;
import dev.konductor.kubelet.cri.v1.PodSandboxFilter;
import dev.konductor.kubelet.cri.v1.PodSandboxNetworkStatus;
import dev.konductor.kubelet.cri.v1.PodSandboxState;
import dev.konductor.kubelet.cri.v1.PodSandboxStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a pod's {@link PodRuntimeState} from a {@link ContainerRuntime}. */
public final class RuntimeStates {

    private RuntimeStates() {
    }

    public static PodRuntimeState observe(ContainerRuntime runtime, String podUid) {
        List<SandboxState> sandboxes = new ArrayList<>();
        for (PodSandbox sandbox : runtime.listPodSandboxes(PodSandboxFilter.newBuilder()
                .putLabelSelector(RuntimeLabels.POD_UID, podUid).build())) {
            List<String> ips = List.of();
            boolean ready = sandbox.getState() == PodSandboxState.SANDBOX_READY;
            if (ready) {
                try {
                    ips = ips(runtime.podSandboxStatus(sandbox.getId()));
                } catch (ContainerRuntime.RuntimeException e) {
                    if (!e.notFound()) {
                        throw e;
                    }
                    continue;
                }
            }
            sandboxes.add(new SandboxState(sandbox.getId(), sandbox.getMetadata().getAttempt(), ready,
                    nanos(sandbox.getCreatedAt()).orElse(Instant.EPOCH), ips));
        }
        return new PodRuntimeState(podUid, sandboxes, containers(runtime, podUid));
    }

    /**
     * {@code state} and the sandbox {@code sandboxId} that was just created for its pod: one
     * status call, where {@link #observe} lists the pod's sandboxes and reads the status of each.
     */
    public static PodRuntimeState withNewSandbox(ContainerRuntime runtime, PodRuntimeState state, String sandboxId) {
        PodSandboxStatus status = runtime.podSandboxStatus(sandboxId);
        boolean ready = status.getState() == PodSandboxState.SANDBOX_READY;
        SandboxState sandbox = new SandboxState(status.getId(), status.getMetadata().getAttempt(), ready,
                nanos(status.getCreatedAt()).orElse(Instant.EPOCH), ready ? ips(status) : List.of());
        List<SandboxState> sandboxes = new ArrayList<>(state.sandboxes());
        sandboxes.removeIf(s -> s.id().equals(sandboxId));
        sandboxes.add(sandbox);
        return new PodRuntimeState(state.podUid(), sandboxes, state.containers());
    }

    /** {@code state} with its pod's containers read again from the runtime, its sandboxes as they were. */
    public static PodRuntimeState withCurrentContainers(ContainerRuntime runtime, PodRuntimeState state) {
        return new PodRuntimeState(state.podUid(), state.sandboxes(), containers(runtime, state.podUid()));
    }

    private static List<ContainerState> containers(ContainerRuntime runtime, String podUid) {
        List<ContainerState> containers = new ArrayList<>();
        for (Container container : runtime.listContainers(ContainerFilter.newBuilder()
                .putLabelSelector(RuntimeLabels.POD_UID, podUid).build())) {
            try {
                containers.add(toState(runtime.containerStatus(container.getId()), container.getPodSandboxId()));
            } catch (ContainerRuntime.RuntimeException e) {
                if (!e.notFound()) {
                    throw e;
                }
            }
        }
        return containers;
    }

    static List<String> ips(PodSandboxStatus status) {
        PodSandboxNetworkStatus network = status.getNetwork();
        List<String> ips = new ArrayList<>();
        if (!network.getIp().isEmpty()) {
            ips.add(network.getIp());
        }
        for (PodIP extra : network.getAdditionalIpsList()) {
            ips.add(extra.getIp());
        }
        return ips;
    }

    static ContainerState toState(ContainerStatus s, String sandboxId) {
        ContainerState.Phase phase = switch (s.getState()) {
            case CONTAINER_CREATED -> ContainerState.Phase.CREATED;
            case CONTAINER_RUNNING -> ContainerState.Phase.RUNNING;
            case CONTAINER_EXITED -> ContainerState.Phase.EXITED;
            default -> ContainerState.Phase.UNKNOWN;
        };
        int restartCount = parseInt(s.getAnnotationsOrDefault(RuntimeLabels.RESTART_COUNT, "0"));
        return new ContainerState(s.getId(), s.getMetadata().getName(), sandboxId, restartCount,
                s.getAnnotationsOrDefault(RuntimeLabels.CONTAINER_HASH, ""), phase,
                nanos(s.getCreatedAt()).orElse(Instant.EPOCH), nanos(s.getStartedAt()), nanos(s.getFinishedAt()),
                s.getExitCode(), s.getReason(), phase == ContainerState.Phase.EXITED ? TerminationMessages.of(s) : s.getMessage(),
                s.getImage().getImage(), s.getImageRef(), s.getLogPath());
    }

    private static Optional<Instant> nanos(long epochNanos) {
        return epochNanos <= 0 ? Optional.empty()
                : Optional.of(Instant.ofEpochSecond(epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L));
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
