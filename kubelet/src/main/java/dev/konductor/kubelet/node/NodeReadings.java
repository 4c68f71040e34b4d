package dev.konductor.kubelet.node;

import dev.konductor.kubelet.host.Filesystem;
import dev.konductor.kubelet.host.MemInfo;
import dev.konductor.kubelet.host.Pids;
import java.util.Optional;

/**
 * One reading of the signals the eviction thresholds watch: memory, the kubelet's filesystem
 * (nodefs), the container runtime's image filesystem (imagefs) and process ids. Each may be
 * missing when it could not be read.
 */
public record NodeReadings(Optional<MemInfo> memory, Optional<Filesystem> nodefs, Optional<Filesystem> imagefs,
                           Optional<Pids> pids) {

    public static final NodeReadings NONE = new NodeReadings(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());
}
