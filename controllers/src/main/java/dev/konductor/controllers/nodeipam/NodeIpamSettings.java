package dev.konductor.controllers.nodeipam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The node IPAM controller's tunables, as upstream's {@code --cluster-cidr} and
 * {@code --node-cidr-mask-size-ipv4/-ipv6}.
 *
 * @param clusterCidrs          one CIDR, or two of different families for dual-stack (the first
 *                              is the node's primary {@code spec.podCIDR}); default
 *                              {@code 10.244.0.0/16}
 * @param nodeCidrMaskSizeIpv4  the prefix length of each node's IPv4 range (24)
 * @param nodeCidrMaskSizeIpv6  the prefix length of each node's IPv6 range (64)
 */
public record NodeIpamSettings(List<String> clusterCidrs, int nodeCidrMaskSizeIpv4, int nodeCidrMaskSizeIpv6) {

    public static final String DEFAULT_CLUSTER_CIDR = "10.244.0.0/16";

    public NodeIpamSettings {
        clusterCidrs = List.copyOf(clusterCidrs);
        if (clusterCidrs.isEmpty() || clusterCidrs.size() > 2) {
            throw new IllegalArgumentException("clusterCidrs must hold one CIDR, or two for dual-stack: " + clusterCidrs);
        }
        List<Cidr> parsed = clusterCidrs.stream().map(c -> Cidr.parseOrThrow(c, "cluster CIDR")).toList();
        if (parsed.size() == 2 && parsed.get(0).ipv6() == parsed.get(1).ipv6()) {
            throw new IllegalArgumentException("dual-stack clusterCidrs must be one IPv4 and one IPv6 CIDR: "
                    + clusterCidrs);
        }
        // fail now, not when the controller starts
        for (Cidr cidr : parsed) {
            new CidrSet(cidr, cidr.ipv6() ? nodeCidrMaskSizeIpv6 : nodeCidrMaskSizeIpv4);
        }
    }

    public static NodeIpamSettings defaults() {
        return new NodeIpamSettings(List.of(DEFAULT_CLUSTER_CIDR), 24, 64);
    }

    /** Settings from a flag value like upstream's: {@code 10.244.0.0/16} or {@code 10.244.0.0/16,fd00:10:244::/56}. */
    public static NodeIpamSettings of(String clusterCidrFlag, int nodeCidrMaskSizeIpv4, int nodeCidrMaskSizeIpv6) {
        List<String> cidrs = new ArrayList<>(Arrays.stream(clusterCidrFlag.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList());
        return new NodeIpamSettings(cidrs, nodeCidrMaskSizeIpv4, nodeCidrMaskSizeIpv6);
    }

    /** One set per cluster CIDR, in order. */
    List<CidrSet> newSets() {
        return clusterCidrs.stream().map(c -> Cidr.parseOrThrow(c, "cluster CIDR"))
                .map(c -> new CidrSet(c, c.ipv6() ? nodeCidrMaskSizeIpv6 : nodeCidrMaskSizeIpv4)).toList();
    }
}
