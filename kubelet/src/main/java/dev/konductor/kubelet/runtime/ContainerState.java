package dev.konductor.kubelet.runtime;

import java.time.Instant;
import java.util.Optional;

/**
 * One container of a pod as the runtime reports it.
 *
 * @param restartCount from the {@code io.kubernetes.container.restartCount} annotation
 * @param hash         from {@code io.kubernetes.container.hash}: the spec it was created from
 */
public record ContainerState(String id, String name, String sandboxId, int restartCount, String hash, Phase phase,
                             Instant createdAt, Optional<Instant> startedAt, Optional<Instant> finishedAt,
                             int exitCode, String reason, String message, String image, String imageRef,
                             String logPath) {

    public enum Phase { CREATED, RUNNING, EXITED, UNKNOWN }

    public boolean running() {
        return phase == Phase.RUNNING;
    }

    public boolean exited() {
        return phase == Phase.EXITED;
    }
}
