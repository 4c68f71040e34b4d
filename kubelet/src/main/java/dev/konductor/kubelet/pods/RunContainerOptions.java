package dev.konductor.kubelet.pods;

import dev.konductor.kubelet.cri.v1.Mount;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * What a container gets besides its spec (upstream's RunContainerOptions): its environment, in
 * order, and its mounts (volumes, /etc/hosts, the termination message file).
 */
public record RunContainerOptions(SequencedMap<String, String> env, List<Mount> mounts) {

    public static final RunContainerOptions NONE = new RunContainerOptions(new LinkedHashMap<>(), List.of());

    public RunContainerOptions {
        env = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(env));
        mounts = List.copyOf(mounts);
    }
}
