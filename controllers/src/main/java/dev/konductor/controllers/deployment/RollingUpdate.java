package dev.konductor.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The RollingUpdate strategy: grow the new ReplicaSet while the total stays within
 * replicas + maxSurge, shrink old ones while at least replicas - maxUnavailable stay available
 * (old pods that are not available go first), one step per sync; status after each step.
 */
final class RollingUpdate {

    private final DeploymentSync sync;

    RollingUpdate(DeploymentSync sync) {
        this.sync = sync;
    }

    Optional<Duration> rollout(Deployment d, List<ReplicaSet> rsList) {
        DeploymentSync.Sets sets = sync.replicaSetsAndSyncRevision(d, rsList, true);
        if (scaleUpNew(d, sets) || scaleDownOld(d, sets)) {
            return sync.syncRolloutStatus(d, sets.all(), sets.newRs());
        }
        if (Progress.complete(d, d.getStatus())) {
            sync.cleanup(sets.old(), d);
        }
        return sync.syncRolloutStatus(d, sets.all(), sets.newRs());
    }

    private boolean scaleUpNew(Deployment d, DeploymentSync.Sets sets) {
        ReplicaSet newRs = sets.newRs();
        int desired = Deployments.replicas(d);
        if (Deployments.replicas(newRs) == desired) {
            return false;
        }
        int target = Deployments.replicas(newRs) > desired ? desired
                : ReplicaSetLists.newReplicaSetSize(d, sets.all(), newRs);
        DeploymentSync.Scaled scaled = sync.scaleAndRecord(newRs, target, d);
        sets.replace(scaled.rs());
        return scaled.scaled();
    }

    private boolean scaleDownOld(Deployment d, DeploymentSync.Sets sets) {
        List<ReplicaSet> old = new ArrayList<>(ReplicaSetLists.active(sets.old()));
        if (ReplicaSetLists.specReplicas(old) == 0) {
            return false;
        }
        ReplicaSet newRs = sets.newRs();
        int minAvailable = Deployments.replicas(d) - Fenceposts.maxUnavailable(d);
        int newUnavailable = Deployments.replicas(newRs) - Deployments.availableReplicas(newRs);
        int maxScaledDown = ReplicaSetLists.specReplicas(sets.all()) - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return false;
        }
        int cleanedUp = scaleDownUnhealthy(d, sets, old, maxScaledDown);
        // the same old ReplicaSets as they are after the clean-up (some may be at zero now)
        List<ReplicaSet> oldNow = old.stream().map(sets::current).toList();
        int scaledDown = scaleDownHealthy(d, sets, oldNow);
        return cleanedUp + scaledDown > 0;
    }

    /** Removes old pods that are not available first: they would otherwise block the rollout. */
    private int scaleDownUnhealthy(Deployment d, DeploymentSync.Sets sets, List<ReplicaSet> old, int maxCleanup) {
        int total = 0;
        for (ReplicaSet rs : old.stream().sorted(ReplicaSetLists.BY_CREATION).toList()) {
            if (total >= maxCleanup) {
                break;
            }
            int replicas = Deployments.replicas(rs);
            int available = Deployments.availableReplicas(rs);
            if (replicas == 0 || replicas == available) {
                continue;
            }
            int count = Math.min(maxCleanup - total, replicas - available);
            sets.replace(sync.scaleAndRecord(rs, replicas - count, d).rs());
            total += count;
        }
        return total;
    }

    /** Scales old ReplicaSets down, oldest first, as far as availability allows. */
    private int scaleDownHealthy(Deployment d, DeploymentSync.Sets sets, List<ReplicaSet> old) {
        int minAvailable = Deployments.replicas(d) - Fenceposts.maxUnavailable(d);
        int available = ReplicaSetLists.availableReplicas(ReplicaSetLists.all(sets.newRs(), old));
        if (available <= minAvailable) {
            return 0;
        }
        int toScaleDown = available - minAvailable;
        int total = 0;
        for (ReplicaSet rs : old.stream().sorted(ReplicaSetLists.BY_CREATION).toList()) {
            if (total >= toScaleDown) {
                break;
            }
            int replicas = Deployments.replicas(rs);
            if (replicas == 0) {
                continue;
            }
            int count = Math.min(replicas, toScaleDown - total);
            sets.replace(sync.scaleAndRecord(rs, replicas - count, d).rs());
            total += count;
        }
        return total;
    }
}
