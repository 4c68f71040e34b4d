package dev.konductor.kubelet.volumes;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;

/**
 * One volume of a pod, ready to be set up on the node: upstream's volume plugin Mounter, one
 * small class per plugin. {@link #setUp} is idempotent; for the volumes whose content follows
 * API objects or the pod itself (ConfigMap, Secret, downward API, projected) it also refreshes
 * that content, and the volume manager calls it again on every sync.
 */
sealed interface PodVolume permits EmptyDirVolume, HostPathVolume, LocalVolume, ConfigMapVolume, SecretVolume,
        DownwardApiVolume, ProjectedVolume, GitRepoVolume {

    /** The name events use: the pod's name for the volume, or its PersistentVolume's. */
    String name();

    /** Prepares (or refreshes) the volume for {@code pod}; returns its path on the host. */
    Path setUp(Pod pod, VolumeHost host) throws SetUpException;

    /** Whether containers get it read-only whatever their volumeMount says (API object projections). */
    default boolean readOnly() {
        return false;
    }

    /** Whether the node owns what is in it, so that the pod's fsGroup is applied ({@link VolumeOwnership}). */
    default boolean managesOwnership() {
        return false;
    }
}
