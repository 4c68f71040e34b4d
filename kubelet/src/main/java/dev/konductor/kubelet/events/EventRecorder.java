package dev.konductor.kubelet.events;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Where the pod workers' events go: {@link KubeletEvents} on a node, a list in unit tests.
 * Events are best effort; recording one never fails the caller.
 */
@FunctionalInterface
public interface EventRecorder {

    /** An event about a container of {@code pod} ({@code container} null for the pod itself). */
    void record(Pod pod, String container, String type, String reason, String message);
}
