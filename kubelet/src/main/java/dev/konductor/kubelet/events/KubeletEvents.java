package dev.konductor.kubelet.events;

import dev.konductor.client.CoreEvents;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * core/v1 Events from the kubelet ({@code source.component=kubelet}, {@code source.host=NODE}),
 * about a pod or one of its containers ({@code fieldPath: spec.containers{NAME}}) or about the
 * node; written, counted and queued by {@link CoreEvents}.
 */
public final class KubeletEvents implements EventRecorder, AutoCloseable {

    public static final String NORMAL = CoreEvents.NORMAL;
    public static final String WARNING = CoreEvents.WARNING;

    private final CoreEvents events;

    public KubeletEvents(KubernetesClient client, String nodeName, Clock clock) {
        this.events = new CoreEvents(client, "kubelet", nodeName, clock);
    }

    @Override
    public void record(Pod pod, String container, String type, String reason, String message) {
        String fieldPath = container == null ? null : fieldPath(pod, container);
        ObjectReference involved = new ObjectReferenceBuilder()
                .withApiVersion("v1").withKind("Pod")
                .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).withResourceVersion(pod.getMetadata().getResourceVersion())
                .withFieldPath(fieldPath)
                .build();
        record(involved, type, reason, message);
    }

    /** Queues the event for the writer; returns at once. */
    public void record(ObjectReference involved, String type, String reason, String message) {
        events.record(involved, type, reason, message);
    }

    /** {@code spec.initContainers{NAME}} for an init container, {@code spec.containers{NAME}} otherwise. */
    static String fieldPath(Pod pod, String container) {
        boolean init = pod.getSpec() != null && pod.getSpec().getInitContainers() != null
                && pod.getSpec().getInitContainers().stream().anyMatch(c -> container.equals(c.getName()));
        return (init ? "spec.initContainers{" : "spec.containers{") + container + "}";
    }

    /** Gives the queued events a moment to be written, then stops the writer. */
    @Override
    public void close() {
        events.close();
    }
}
