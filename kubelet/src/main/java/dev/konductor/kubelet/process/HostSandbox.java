package dev.konductor.kubelet.process;

import dev.konductor.kubelet.cri.v1.PodSandbox;
import dev.konductor.kubelet.cri.v1.PodSandboxConfig;
import dev.konductor.kubelet.cri.v1.PodSandboxState;
import java.time.Instant;

/**
 * A pod sandbox of the process runtime: bookkeeping only. There is no network namespace and no
 * pause process; the pod lives on the node's network, its IP the node's.
 */
final class HostSandbox {

    private final String id;
    private final PodSandboxConfig config;
    private final Instant createdAt;
    private volatile boolean ready = true;

    HostSandbox(String id, PodSandboxConfig config, Instant createdAt) {
        this.id = id;
        this.config = config;
        this.createdAt = createdAt;
    }

    String id() {
        return id;
    }

    PodSandboxConfig config() {
        return config;
    }

    Instant createdAt() {
        return createdAt;
    }

    PodSandboxState state() {
        return ready ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY;
    }

    void stopped() {
        ready = false;
    }

    PodSandbox summary() {
        return PodSandbox.newBuilder().setId(id).setMetadata(config.getMetadata()).setState(state())
                .setCreatedAt(HostContainer.nanos(createdAt)).putAllLabels(config.getLabelsMap())
                .putAllAnnotations(config.getAnnotationsMap()).build();
    }
}
