package dev.konductor.kubelet.pods;

import dev.konductor.kubelet.runtime.PodRuntimeState;
import dev.konductor.kubelet.status.Waiting;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What one sync of a pod left behind: the runtime's state afterwards, why containers wait, and
 * when to look again at the latest (a back-off expiring), if sooner than the periodic resync.
 */
public record SyncOutcome(PodRuntimeState state, Map<String, Waiting> waiting, Optional<Duration> retryAfter) {

    public SyncOutcome {
        waiting = Map.copyOf(waiting);
    }
}
