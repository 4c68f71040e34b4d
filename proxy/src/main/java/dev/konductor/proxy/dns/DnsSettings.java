package dev.konductor.proxy.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How the cluster DNS server runs.
 *
 * @param address       where it listens, UDP and TCP
 * @param port          the port, 53 in a cluster; 0 picks a free one (the same for both transports)
 * @param clusterDomain the zone it answers for, e.g. {@code cluster.local}
 * @param ttl           the TTL of its records and of negative answers: 30 s by default, as
 *                      kubeadm's Corefile sets (CoreDNS's own default is 5 s), 0 to 3600 s
 * @param podRecords    whether {@code <a-b-c-d>.<ns>.pod.<zone>} resolves
 * @param forwarder     where names outside the zone (and unknown reverse names) go
 */
public record DnsSettings(InetAddress address, int port, String clusterDomain, Duration ttl, PodRecords podRecords,
                          Forwarder forwarder) {

    public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
    private static final Duration MAX_TTL = Duration.ofHours(1);

    public DnsSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(podRecords, "podRecords");
        Objects.requireNonNull(forwarder, "forwarder");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        if (ttl.isNegative() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttl must be between 0 and 3600 seconds: " + ttl.toSeconds());
        }
        clusterDomain = clusterDomain.endsWith(".") ? clusterDomain.substring(0, clusterDomain.length() - 1) : clusterDomain;
        if (clusterDomain.isEmpty()) {
            throw new IllegalArgumentException("cluster domain must not be empty");
        }
    }

    /** Port 53 on {@code address}, {@code cluster.local}, 30 s, insecure pod records, the given forwarder. */
    public static DnsSettings defaults(InetAddress address, Forwarder forwarder) {
        return new DnsSettings(address, 53, DEFAULT_CLUSTER_DOMAIN, DEFAULT_TTL, PodRecords.INSECURE, forwarder);
    }

    public DnsSettings withPort(int port) {
        return new DnsSettings(address, port, clusterDomain, ttl, podRecords, forwarder);
    }

    public DnsSettings withClusterDomain(String domain) {
        return new DnsSettings(address, port, domain, ttl, podRecords, forwarder);
    }

    public DnsSettings withTtl(Duration value) {
        return new DnsSettings(address, port, clusterDomain, value, podRecords, forwarder);
    }

    public DnsSettings withPodRecords(PodRecords value) {
        return new DnsSettings(address, port, clusterDomain, ttl, value, forwarder);
    }

    public DnsSettings withForwarder(Forwarder value) {
        return new DnsSettings(address, port, clusterDomain, ttl, podRecords, value);
    }
}
