package dev.konductor.scheduler.queue;

import dev.konductor.scheduler.framework.PodInfo;
import java.time.Instant;
import java.util.Set;

/**
 * A pod waiting in the scheduling queue, with what the queue tracks about it: when it was
 * (re)queued (the tie-breaker after priority and the start of its backoff), how many attempts
 * it had, and which plugins rejected it last (which cluster events may help it).
 */
public final class QueuedPod {

    private volatile PodInfo pod;
    private Instant timestamp;
    private final Instant firstQueued;
    private int attempts;
    private Set<String> unschedulablePlugins = Set.of();

    QueuedPod(PodInfo pod, Instant now) {
        this.pod = pod;
        this.timestamp = now;
        this.firstQueued = now;
    }

    public PodInfo pod() {
        return pod;
    }

    void setPod(PodInfo pod) {
        this.pod = pod;
    }

    public String key() {
        return pod.key();
    }

    public Instant timestamp() {
        return timestamp;
    }

    void setTimestamp(Instant timestamp) {
        this.timestamp = timestamp;
    }

    public Instant firstQueued() {
        return firstQueued;
    }

    public int attempts() {
        return attempts;
    }

    void attempted() {
        attempts++;
    }

    public Set<String> unschedulablePlugins() {
        return unschedulablePlugins;
    }

    public void setUnschedulablePlugins(Set<String> plugins) {
        this.unschedulablePlugins = Set.copyOf(plugins);
    }

    @Override
    public String toString() {
        return pod.key() + "(attempts=" + attempts + ")";
    }
}
