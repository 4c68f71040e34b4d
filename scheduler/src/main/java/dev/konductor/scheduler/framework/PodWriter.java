package dev.konductor.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The writes the scheduler makes to the API (implemented over the client; faked in tests).
 * Each throws {@link io.fabric8.kubernetes.client.KubernetesClientException} on failure.
 */
public interface PodWriter {

    /** POST pods/{name}/binding with the node as target. */
    void bind(Pod pod, String node);

    /** A strategic merge patch of the pod's status subresource. */
    void patchStatus(Pod pod, String patch);

    /** Deletes the pod (graceful, as upstream's preemption does); a pod already gone is not an error. */
    void delete(Pod pod);
}
