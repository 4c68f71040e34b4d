package dev.konductor.kubelet.containerd;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A node's pod network as the CNI bridge plugin builds it: a Linux bridge holding the first
 * address of the pod CIDR as the pods' gateway, host-local IPAM handing out the rest.
 *
 * <p>Pods get routes only to {@code routes} (e.g. the service CIDR and the node's own
 * addresses), no default route: a pod can reach the cluster, never the outside world.
 *
 * @param name   the CNI network name
 * @param bridge the bridge interface (at most 15 characters)
 * @param podCidr the node's pod CIDR, e.g. {@code 10.244.0.0/24}; null while the control plane
 *                has not assigned one (containerd then reports its network not ready)
 * @param routes destinations routed through the gateway, in CIDR form
 */
public record PodNetwork(String name, String bridge, String podCidr, List<String> routes) {

    /** A network whose pod CIDR comes later, from the Node's {@code spec.podCIDR}. */
    public PodNetwork(String name, String bridge, List<String> routes) {
        this(name, bridge, null, routes);
    }

    private static final Pattern INTERFACE = Pattern.compile("[a-zA-Z0-9_.-]{1,15}");
    private static final Pattern IPV4_CIDR = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}");

    public PodNetwork {
        Objects.requireNonNull(name);
        if (!INTERFACE.matcher(bridge).matches()) {
            throw new IllegalArgumentException("bad bridge name (1 to 15 letters, digits, _ . -): " + bridge);
        }
        if (podCidr != null && !IPV4_CIDR.matcher(podCidr).matches()) {
            throw new IllegalArgumentException("pod CIDR must be an IPv4 CIDR: " + podCidr);
        }
        routes = List.copyOf(routes);
        for (String route : routes) {
            if (!IPV4_CIDR.matcher(route).matches()) {
                throw new IllegalArgumentException("route must be an IPv4 CIDR: " + route);
            }
        }
    }

    /** This network over {@code cidr}. */
    public PodNetwork withPodCidr(String cidr) {
        return new PodNetwork(name, bridge, cidr, routes);
    }
}
