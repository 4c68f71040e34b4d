package dev.konductor.scheduler;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The scheduler: binds pending pods to nodes. Leader-elected through the
 * {@code kube-system/kube-scheduler} Lease so that two servers can run side by side.
 */
public final class Scheduler implements AutoCloseable {

    private final KubernetesClient client;
    private final SchedulerSettings settings;

    public Scheduler(KubernetesClient client, SchedulerSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** Campaigns for the Lease in the background and schedules while it leads. */
    public void start() {
    }

    @Override
    public void close() {
    }
}
