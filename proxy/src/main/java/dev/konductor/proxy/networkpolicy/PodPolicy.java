package dev.konductor.proxy.networkpolicy;

import java.net.InetAddress;
import java.util.List;

/**
 * What NetworkPolicies say about one pod of this node that at least one of them isolates.
 *
 * @param namespace the pod's namespace
 * @param name      the pod's name
 * @param ips       its addresses ({@code status.podIPs})
 * @param ingress   what may reach it
 * @param egress    what it may reach
 */
public record PodPolicy(String namespace, String name, List<InetAddress> ips, Isolation ingress, Isolation egress) {

    public PodPolicy {
        ips = List.copyOf(ips);
    }

    /** {@code namespace/name}. */
    public String key() {
        return namespace + "/" + name;
    }
}
