package dev.konductor.proxy.networkpolicy;

import java.util.List;

/**
 * The desired state of NetworkPolicy enforcement on one node, computed from NetworkPolicies,
 * Pods and Namespaces alone: every pod of the node that a policy isolates in some direction,
 * sorted by namespace and name (pods no policy isolates are absent: all their traffic passes).
 * Knows nothing of nftables.
 */
public record PolicyModel(List<PodPolicy> pods) {

    public static final PolicyModel EMPTY = new PolicyModel(List.of());

    public PolicyModel {
        pods = List.copyOf(pods);
    }
}
