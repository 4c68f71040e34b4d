package dev.konductor.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The Recreate strategy: scale every old ReplicaSet to zero, wait until none of their pods is
 * left running, then create (or reuse) the new ReplicaSet at full size.
 */
final class Recreate {

    private final DeploymentSync sync;

    Recreate(DeploymentSync sync) {
        this.sync = sync;
    }

    /**
     * @param oldPodsRunning given the new ReplicaSet (or null), whether a pod of any other of
     *                       the Deployment's ReplicaSets is still not finished
     */
    Optional<Duration> rollout(Deployment d, List<ReplicaSet> rsList, Predicate<ReplicaSet> oldPodsRunning) {
        DeploymentSync.Sets sets = sync.replicaSetsAndSyncRevision(d, rsList, false);
        boolean scaledDown = false;
        for (ReplicaSet old : ReplicaSetLists.active(sets.old())) {
            DeploymentSync.Scaled scaled = sync.scaleAndRecord(old, 0, d);
            sets.replace(scaled.rs());
            scaledDown |= scaled.scaled();
        }
        if (scaledDown) {
            return sync.syncRolloutStatus(d, sets.all(), sets.newRs());
        }
        if (ReplicaSetLists.statusReplicas(sets.old()) > 0 || oldPodsRunning.test(sets.newRs())) {
            return sync.syncRolloutStatus(d, sets.all(), sets.newRs());
        }
        if (sets.newRs() == null) {
            sets = sync.replicaSetsAndSyncRevision(d, rsList, true);
        }
        sets.replace(sync.scaleAndRecord(sets.newRs(), Deployments.replicas(d), d).rs());
        if (Progress.complete(d, d.getStatus())) {
            sync.cleanup(sets.old(), d);
        }
        return sync.syncRolloutStatus(d, sets.all(), sets.newRs());
    }
}
