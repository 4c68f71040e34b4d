package dev.konductor.kubelet.pods;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Optional;

/**
 * What a pod's worker does to its pod at each stage of its life, as upstream's podSyncer
 * (SyncPod, SyncTerminatingPod, SyncTerminatedPod): {@link PodWorkers} decides when and in
 * which order, and guarantees that calls for one pod never overlap (except
 * {@link #refreshTerminatingStatus} during {@link #killPod}, from the same worker) and that
 * {@link #removePod} comes at most once per pod UID.
 */
public interface PodSyncHandler {

    /** What a sync of a running pod came to. */
    sealed interface SyncResult {
    }

    /** The pod goes on; look again after {@code retryAfter} (a back-off expiring) if sooner than the resync. */
    record Running(Optional<Duration> retryAfter) implements SyncResult {
    }

    /** The pod finished for good (a terminal phase): none of its containers may run again. */
    record Finished() implements SyncResult {
    }

    /** Brings the pod one step closer to its spec and writes its status. */
    SyncResult syncPod(Pod pod);

    /**
     * Stops the pod's running containers within {@code gracePeriodSeconds}. Its liveness and
     * startup probes stop first; its readiness probes go on until the end.
     */
    void killPod(Pod pod, long gracePeriodSeconds);

    /** Writes the status of a pod whose containers are being stopped (a container exited, a readiness verdict changed). */
    void refreshTerminatingStatus(Pod pod);

    /**
     * Once nothing of the pod runs: releases its sandbox, stops its probes and writes its final
     * status (unless {@code apiDeleted}: its API object is gone already).
     */
    void syncTerminatedPod(Pod pod, boolean apiDeleted);

    /**
     * The pod was deleted and nothing of it runs: removes what the node holds of it (containers,
     * sandboxes, cgroups, volumes, logs), then its API object (unless {@code apiDeleted}).
     */
    void removePod(Pod pod, boolean apiDeleted);

    /** Removes from the node a pod the runtime still has and the API does not (deleted while the kubelet was away). */
    void removeOrphan(String podUid);
}
