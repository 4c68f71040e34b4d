package dev.konductor.proxy;

import dev.konductor.proxy.model.Cidr;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a node's service proxy runs.
 *
 * @param nodeName          the node it runs on (tells local endpoints apart)
 * @param mode              nftables or userspace
 * @param serviceCidr       the ClusterIP range (routed to {@code serviceLink}; unallocated addresses rejected)
 * @param clusterCidr       the pod range, when known: ClusterIP traffic from outside it is masqueraded
 * @param nodePortAddresses where NodePorts answer; empty for every local address (but loopback in nftables mode)
 * @param table             the nftables table, in family {@code ip}
 * @param serviceLink       the discarding link the service CIDR is routed to (at most 15 characters)
 * @param minSyncInterval   changes arriving faster are coalesced into one sync per interval
 * @param resyncInterval    a full sync runs at least this often, repairing outside interference
 */
public record ProxySettings(String nodeName, ProxyMode mode, Cidr serviceCidr, Optional<Cidr> clusterCidr,
                            List<InetAddress> nodePortAddresses, String table, String serviceLink,
                            Duration minSyncInterval, Duration resyncInterval) {

    public static final String DEFAULT_TABLE = "konductor";
    public static final String DEFAULT_SERVICE_LINK = "konductor-svc";
    public static final Duration DEFAULT_MIN_SYNC_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofSeconds(30);

    public ProxySettings {
        if (nodeName == null || nodeName.isEmpty()) {
            throw new IllegalArgumentException("nodeName must be set");
        }
        nodePortAddresses = List.copyOf(nodePortAddresses);
    }

    /** The mode this host supports, the default table and link, 100 ms coalescing, 30 s resync. */
    public static ProxySettings defaults(String nodeName, Cidr serviceCidr) {
        return new ProxySettings(nodeName, ProxyMode.detect(), serviceCidr, Optional.empty(), List.of(),
                DEFAULT_TABLE, DEFAULT_SERVICE_LINK, DEFAULT_MIN_SYNC_INTERVAL, DEFAULT_RESYNC_INTERVAL);
    }

    public ProxySettings withMode(ProxyMode value) {
        return new ProxySettings(nodeName, value, serviceCidr, clusterCidr, nodePortAddresses, table, serviceLink,
                minSyncInterval, resyncInterval);
    }

    public ProxySettings withClusterCidr(Cidr value) {
        return new ProxySettings(nodeName, mode, serviceCidr, Optional.of(value), nodePortAddresses, table, serviceLink,
                minSyncInterval, resyncInterval);
    }

    public ProxySettings withNodePortAddresses(List<InetAddress> value) {
        return new ProxySettings(nodeName, mode, serviceCidr, clusterCidr, value, table, serviceLink,
                minSyncInterval, resyncInterval);
    }

    /** Another table and link name, e.g. for a test that must not meet a real node's. */
    public ProxySettings withHostNames(String tableName, String linkName) {
        return new ProxySettings(nodeName, mode, serviceCidr, clusterCidr, nodePortAddresses, tableName, linkName,
                minSyncInterval, resyncInterval);
    }
}
