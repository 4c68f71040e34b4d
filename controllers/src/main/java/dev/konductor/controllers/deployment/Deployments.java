package dev.konductor.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

/** Small reads of Deployment and ReplicaSet fields with upstream's defaults for unset values. */
final class Deployments {

    /** Upstream's "no limit" value for progressDeadlineSeconds and revisionHistoryLimit. */
    static final int UNLIMITED = Integer.MAX_VALUE;

    private Deployments() {
    }

    static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    static int replicas(ReplicaSet rs) {
        return rs == null || rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
    }

    static int statusReplicas(ReplicaSet rs) {
        return rs == null || rs.getStatus() == null || rs.getStatus().getReplicas() == null
                ? 0 : rs.getStatus().getReplicas();
    }

    static int availableReplicas(ReplicaSet rs) {
        return rs == null || rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null
                ? 0 : rs.getStatus().getAvailableReplicas();
    }

    static int readyReplicas(ReplicaSet rs) {
        return rs == null || rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null
                ? 0 : rs.getStatus().getReadyReplicas();
    }

    static int minReadySeconds(Deployment d) {
        return d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds();
    }

    static boolean hasProgressDeadline(Deployment d) {
        Integer deadline = d.getSpec().getProgressDeadlineSeconds();
        return deadline != null && deadline != UNLIMITED;
    }

    static boolean hasRevisionHistoryLimit(Deployment d) {
        Integer limit = d.getSpec().getRevisionHistoryLimit();
        return limit != null && limit != UNLIMITED;
    }

    static boolean paused(Deployment d) {
        return Boolean.TRUE.equals(d.getSpec().getPaused());
    }

    static long generation(Deployment d) {
        return d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
    }
}
