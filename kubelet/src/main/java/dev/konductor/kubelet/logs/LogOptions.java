package dev.konductor.kubelet.logs;

import java.time.Instant;
import java.util.Optional;

/** The options of {@code kubectl logs} as the kubelet receives them (PodLogOptions). */
public record LogOptions(boolean follow, Optional<Long> tailLines, Optional<Instant> since, boolean timestamps,
                         Optional<Long> limitBytes) {

    public static LogOptions defaults() {
        return new LogOptions(false, Optional.empty(), Optional.empty(), false, Optional.empty());
    }
}
