package dev.konductor.kubelet.sim;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Simulated nodes, like KWOK: registers N nodes, keeps their Leases fresh and "runs" the pods
 * bound to them without any process, all in one process with no thread per node.
 */
public final class SimNodes implements AutoCloseable {

    private final KubernetesClient client;
    private final SimSettings settings;

    public SimNodes(KubernetesClient client, SimSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** Registers the nodes and starts simulating; returns once they are registered. */
    public void start() {
    }

    @Override
    public void close() {
    }
}
