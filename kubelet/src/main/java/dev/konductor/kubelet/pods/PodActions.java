package dev.konductor.kubelet.pods;

import dev.konductor.kubelet.runtime.ContainerState;
import io.fabric8.kubernetes.api.model.Container;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one sync must do to a pod, as upstream's podActions: kill the whole pod (its sandbox
 * died), create a sandbox, kill some containers (each with the message of its Killing event),
 * then start some (each knowing its previous instance, for the restart count and the back-off).
 * {@code initFailed}: an init container failed and the restart policy forbids another try.
 */
public record PodActions(boolean killPod, boolean createSandbox, int sandboxAttempt, List<Kill> kill, List<Start> start,
                         boolean initFailed) {

    public PodActions {
        kill = List.copyOf(kill);
        start = List.copyOf(start);
    }

    /**
     * A running container to stop, and why (the Killing event's message); a failed probe may set
     * its own grace period ({@code terminationGracePeriodSeconds} on the probe), else the pod's.
     */
    public record Kill(Container spec, ContainerState container, String message, OptionalLong gracePeriodSeconds) {

        public Kill(Container spec, ContainerState container, String message) {
            this(spec, container, message, OptionalLong.empty());
        }
    }

    /**
     * A container to start.
     *
     * @param previous the newest instance of that name, if any: an exited one is restarted
     *                 after its back-off, a created one that never started is replaced, a
     *                 running one is being killed by this same plan
     */
    public record Start(Container spec, boolean init, Optional<ContainerState> previous) {
    }

    public static PodActions nothing() {
        return new PodActions(false, false, 0, List.of(), List.of(), false);
    }

    public boolean isNothing() {
        return !killPod && !createSandbox && kill.isEmpty() && start.isEmpty();
    }
}
