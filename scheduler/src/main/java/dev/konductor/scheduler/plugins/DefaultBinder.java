package dev.konductor.scheduler.plugins;

import dev.konductor.scheduler.framework.Plugin;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.PodWriter;
import dev.konductor.scheduler.framework.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Binds through the pods/binding subresource. */
public final class DefaultBinder implements Plugin.Bind {

    public static final String NAME = "DefaultBinder";

    private final PodWriter writer;

    public DefaultBinder(PodWriter writer) {
        this.writer = writer;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status bind(PodInfo pod, String node) {
        try {
            writer.bind(pod.pod(), node);
            return Status.SUCCESS;
        } catch (KubernetesClientException e) {
            String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                    : e.getMessage();
            return Status.error(message);
        }
    }
}
