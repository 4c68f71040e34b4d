package dev.konductor.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** How upstream's controllers read a pod's state: active, ready, available. */
public final class PodStates {

    private PodStates() {
    }

    /** Not finished and not being deleted: a pod that counts towards a ReplicaSet's replicas. */
    public static boolean isActive(Pod pod) {
        String phase = phase(pod);
        return !"Succeeded".equals(phase) && !"Failed".equals(phase)
                && pod.getMetadata().getDeletionTimestamp() == null;
    }

    public static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "" : pod.getStatus().getPhase();
    }

    public static boolean isReady(Pod pod) {
        return readyCondition(pod).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /** When the Ready condition last changed, if the pod is ready and says so. */
    public static Optional<Instant> readySince(Pod pod) {
        return readyCondition(pod).filter(c -> "True".equals(c.getStatus()))
                .map(PodCondition::getLastTransitionTime).filter(t -> !t.isEmpty()).map(Instant::parse);
    }

    /**
     * Ready for at least {@code minReadySeconds} (strictly longer, as upstream compares); with
     * 0, ready is available.
     */
    public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
        if (!isReady(pod)) {
            return false;
        }
        if (minReadySeconds == 0) {
            return true;
        }
        return readySince(pod).map(t -> t.plusSeconds(minReadySeconds).isBefore(now)).orElse(false);
    }

    /** How long until a ready pod becomes available; empty if it never will by waiting alone. */
    static Optional<Duration> untilAvailable(Pod pod, int minReadySeconds, Instant now) {
        if (!isReady(pod) || isAvailable(pod, minReadySeconds, now)) {
            return Optional.empty();
        }
        return readySince(pod).map(t -> Duration.between(now, t.plusSeconds(minReadySeconds)));
    }

    private static Optional<PodCondition> readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }
}
