package dev.konductor.kubelet.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * A pod's addresses as its status, its containers' environment, its probes and its hooks see them:
 * the node's for a pod on the node's network (the runtime reports none for such a sandbox), else
 * those of its ready sandbox.
 */
public final class PodAddresses {

    private PodAddresses() {
    }

    public static List<String> of(Pod pod, PodRuntimeState state, List<String> nodeIps) {
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return nodeIps;
        }
        return state.latestSandbox().filter(SandboxState::ready).map(SandboxState::ips).orElse(List.of());
    }

    /** The first of {@link #of}, or "" when there is none. */
    public static String first(Pod pod, PodRuntimeState state, List<String> nodeIps) {
        List<String> ips = of(pod, state, nodeIps);
        return ips.isEmpty() ? "" : ips.getFirst();
    }
}
