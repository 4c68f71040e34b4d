package dev.konductor.kubelet.runtime;

import java.time.Instant;
import java.util.List;

/** One pod sandbox as the runtime reports it; {@code ips} is empty until its network is set up. */
public record SandboxState(String id, int attempt, boolean ready, Instant createdAt, List<String> ips) {

    public SandboxState {
        ips = List.copyOf(ips);
    }
}
