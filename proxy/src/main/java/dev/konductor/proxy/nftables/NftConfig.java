package dev.konductor.proxy.nftables;

import dev.konductor.proxy.model.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What the nftables rules need besides the model.
 *
 * @param table             the table's name (the family follows from the service CIDR)
 * @param serviceCidr       the ClusterIP range: an address in it that no Service holds is rejected
 * @param clusterCidr       the pod range, when known: traffic to a ClusterIP from outside it is
 *                          masqueraded (as upstream does with its local-traffic detector)
 * @param nodePortAddresses where NodePorts answer; empty means every local address but loopback
 */
public record NftConfig(String table, Cidr serviceCidr, Optional<Cidr> clusterCidr, List<InetAddress> nodePortAddresses) {

    public NftConfig {
        if (!table.matches("[A-Za-z][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("not an nftables table name: " + table);
        }
        clusterCidr.filter(c -> c.isIpv4() != serviceCidr.isIpv4()).ifPresent(c -> {
            throw new IllegalArgumentException("cluster CIDR " + c + " is not of the family of service CIDR " + serviceCidr);
        });
        nodePortAddresses = nodePortAddresses.stream().filter(a -> (a instanceof Inet4Address) == serviceCidr.isIpv4()).toList();
    }

    public boolean ipv4() {
        return serviceCidr.isIpv4();
    }

    /** {@code ip} or {@code ip6}: the table's family, and the keyword of address matches. */
    public String family() {
        return ipv4() ? "ip" : "ip6";
    }
}
