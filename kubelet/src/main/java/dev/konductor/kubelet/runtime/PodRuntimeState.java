package dev.konductor.kubelet.runtime;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Everything the runtime has for one pod (by UID): its sandboxes and containers, newest first. */
public record PodRuntimeState(String podUid, List<SandboxState> sandboxes, List<ContainerState> containers) {

    public PodRuntimeState {
        sandboxes = sandboxes.stream().sorted(Comparator.comparing(SandboxState::createdAt).reversed()).toList();
        containers = containers.stream().sorted(Comparator.comparing(ContainerState::createdAt).reversed()).toList();
    }

    public static PodRuntimeState empty(String podUid) {
        return new PodRuntimeState(podUid, List.of(), List.of());
    }

    public Optional<SandboxState> latestSandbox() {
        return sandboxes.stream().findFirst();
    }

    /** The newest container of that name (the current attempt). */
    public Optional<ContainerState> latest(String containerName) {
        return containers.stream().filter(c -> c.name().equals(containerName)).findFirst();
    }

    /** The newest exited container of that name older than the latest one (for lastState and --previous). */
    public Optional<ContainerState> previous(String containerName) {
        return containers.stream().filter(c -> c.name().equals(containerName)).skip(1).filter(ContainerState::exited)
                .findFirst();
    }

    public List<ContainerState> running() {
        return containers.stream().filter(ContainerState::running).toList();
    }

    public boolean isEmpty() {
        return sandboxes.isEmpty() && containers.isEmpty();
    }
}
