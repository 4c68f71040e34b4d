package dev.konductor.kubelet.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;

/**
 * The status of a container the runtime has nothing of, as upstream's kubelet reports it: not
 * yet created, or lost with the runtime's state (a reboot, containerd's directory wiped). What
 * the API last said is not forgotten: a container that ran to its end stays terminated, so a
 * pod whose containers finished is never run again; one that was running when it was lost
 * counts as ended ({@code ContainerStatusUnknown}, exit code 137) and as restarted unless the
 * pod is being deleted. Once a pod is over, a container with no known end is reported ended the
 * same way ({@link #ended}). Pure.
 */
final class LostContainers {

    static final String STATUS_UNKNOWN = "ContainerStatusUnknown";
    static final String WAS_RUNNING = "The container could not be located when the pod was deleted.  The container used to be Running";

    private LostContainers() {
    }

    static final String NOT_LOCATED = "The container could not be located when the pod was terminated";

    /** A container of a pod that is over: as it was if it ended, else ended with {@code ContainerStatusUnknown}, 137. */
    static ContainerStatus ended(ContainerStatus status) {
        if (status.getState() != null && status.getState().getTerminated() != null) {
            return status;
        }
        return new ContainerStatusBuilder(status).withReady(false).withStarted(false)
                .withState(new ContainerStateBuilder().withTerminated(new ContainerStateTerminatedBuilder()
                        .withReason(STATUS_UNKNOWN).withMessage(NOT_LOCATED).withExitCode(137).build()).build())
                .build();
    }

    /**
     * @param previous what the API last said of this container, or null
     * @param waiting  why the last sync left it waiting, or null
     */
    static ContainerStatus status(Container spec, ContainerStatus previous, Waiting waiting, String defaultWaiting,
                                  boolean deleting) {
        if (previous != null && previous.getState() != null && previous.getState().getTerminated() != null) {
            return new ContainerStatusBuilder(previous).withReady(false).withStarted(false).build();
        }
        Waiting w = waiting != null ? waiting : new Waiting(defaultWaiting, null);
        ContainerStatusBuilder status = new ContainerStatusBuilder()
                .withName(spec.getName())
                .withImage(spec.getImage())
                .withImageID("")
                .withRestartCount(previous == null || previous.getRestartCount() == null ? 0 : previous.getRestartCount())
                .withReady(false)
                .withStarted(false)
                .withState(new ContainerStateBuilder().withNewWaiting().withReason(w.reason()).withMessage(w.message())
                        .endWaiting().build());
        if (previous != null && previous.getLastState() != null) {
            status.withLastState(previous.getLastState());
        } else {
            status.withNewLastState().endLastState();
        }
        boolean wasRunning = previous != null && previous.getState() != null && previous.getState().getRunning() != null;
        boolean endKnown = previous != null && previous.getLastState() != null && previous.getLastState().getTerminated() != null;
        if (wasRunning && waiting == null && !endKnown) {
            status.withLastState(new ContainerStateBuilder().withTerminated(new ContainerStateTerminatedBuilder()
                    .withReason(STATUS_UNKNOWN).withMessage(WAS_RUNNING).withExitCode(137).build()).build());
            if (!deleting) {
                status.withRestartCount(previous.getRestartCount() == null ? 1 : previous.getRestartCount() + 1);
            }
        }
        return status.build();
    }
}
