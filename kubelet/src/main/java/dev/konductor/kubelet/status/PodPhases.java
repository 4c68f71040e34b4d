package dev.konductor.kubelet.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod's phase from its container statuses, as upstream's getPhase: Pending while an init
 * container has not finished (before any app container ran) or an app container waits for its
 * first start; Failed when an init container failed under restartPolicy Never; Running while an
 * app container runs; once every app container stopped, Succeeded or Failed by their exit codes
 * and the restart policy. Pure.
 */
final class PodPhases {

    private PodPhases() {
    }

    static String phase(List<Container> initSpecs, List<ContainerStatus> inits, List<ContainerStatus> containers,
                        String restartPolicy) {
        int pendingInit = 0;
        int failedInit = 0;
        for (int i = 0; i < initSpecs.size(); i++) {
            ContainerStatus s = inits.get(i);
            if ("Always".equals(initSpecs.get(i).getRestartPolicy())) {
                if (s.getState().getRunning() == null || !Boolean.TRUE.equals(s.getStarted())) {
                    pendingInit++;
                }
                continue;
            }
            var terminated = s.getState().getTerminated();
            var lastTerminated = s.getLastState() == null ? null : s.getLastState().getTerminated();
            if (terminated != null) {
                if (terminated.getExitCode() != 0) {
                    failedInit++;
                }
            } else if (s.getState().getWaiting() != null && lastTerminated != null) {
                if (lastTerminated.getExitCode() != 0) {
                    failedInit++;
                }
            } else {
                pendingInit++;
            }
        }
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (ContainerStatus c : containers) {
            var s = c.getState();
            if (s.getRunning() != null) {
                running++;
            } else if (s.getTerminated() != null) {
                stopped++;
                if (s.getTerminated().getExitCode() == 0) {
                    succeeded++;
                }
            } else if (s.getWaiting() != null) {
                if (c.getLastState() != null && c.getLastState().getTerminated() != null) {
                    stopped++;
                } else {
                    waiting++;
                }
            }
        }
        if (failedInit > 0 && restartPolicy.equals("Never")) {
            return "Failed";
        }
        boolean anyAppStarted = running > 0 || stopped > 0;
        if ((pendingInit > 0 || failedInit > 0) && !anyAppStarted) {
            return "Pending";
        }
        if (waiting > 0) {
            return "Pending";
        }
        if (running > 0) {
            return "Running";
        }
        if (stopped > 0) {
            return switch (restartPolicy) {
                case "Always" -> "Running";
                case "OnFailure" -> stopped == succeeded ? "Succeeded" : "Running";
                default -> stopped == succeeded ? "Succeeded" : "Failed";
            };
        }
        return "Pending";
    }

    /**
     * The init containers that keep the pod from being Initialized (in order): a regular one
     * until it exited successfully, a sidecar until it has started. None once an app container
     * has run (the pod was initialized before).
     */
    static List<String> incompleteInits(List<Container> initSpecs, List<ContainerStatus> inits, List<ContainerStatus> containers) {
        boolean appStarted = containers.stream().anyMatch(c -> c.getState().getRunning() != null || c.getState().getTerminated() != null
                || (c.getLastState() != null && c.getLastState().getTerminated() != null));
        List<String> out = new ArrayList<>();
        if (appStarted) {
            return out;
        }
        for (int i = 0; i < initSpecs.size(); i++) {
            ContainerStatus s = inits.get(i);
            boolean complete = "Always".equals(initSpecs.get(i).getRestartPolicy()) ? Boolean.TRUE.equals(s.getStarted())
                    : s.getState().getTerminated() != null && s.getState().getTerminated().getExitCode() == 0;
            if (!complete) {
                out.add(s.getName());
            }
        }
        return out;
    }
}
