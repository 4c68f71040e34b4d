package dev.konductor.kubelet;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a kubelet runs.
 *
 * @param nodeName       the Node's name (the host name, lowercased)
 * @param podCidr        the node's pod CIDR to publish in {@code spec.podCIDR}; empty (as upstream
 *                       outside standalone mode) to take the one the node IPAM controller assigns
 * @param nodeIps        the node's InternalIP addresses (first one is the pods' hostIP)
 * @param bindAddress    where the kubelet's HTTPS endpoint listens
 * @param port           its port (upstream's 10250; 0 picks a free one)
 * @param rootDir        the kubelet's directory: pod logs under {@code pods/}, its certificate under {@code pki/}
 * @param clientCa       the cluster CA: client certificates it issued may read logs
 * @param kubeletVersion the version published in nodeInfo
 * @param dns            how pods resolve names (upstream's {@code clusterDNS}, {@code clusterDomain}, {@code resolvConf})
 */
public record KubeletSettings(String nodeName, Optional<String> podCidr, List<InetAddress> nodeIps, InetAddress bindAddress,
                              int port, Path rootDir, X509Certificate clientCa, String kubeletVersion, ClusterDns dns) {

    /**
     * The kubelet's DNS settings.
     *
     * @param servers    the cluster DNS addresses given to {@code ClusterFirst} pods; empty for none
     * @param domain     the cluster domain, e.g. {@code cluster.local}
     * @param resolvConf the host's resolver file for {@code Default} pods and extra search paths;
     *                   empty for none
     */
    public record ClusterDns(List<String> servers, String domain, Optional<Path> resolvConf) {
        public static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

        public ClusterDns {
            servers = List.copyOf(servers);
            Objects.requireNonNull(domain);
            Objects.requireNonNull(resolvConf);
        }

        /** No cluster DNS: pods get the host's resolver, as a kubelet without {@code clusterDNS}. */
        public static ClusterDns none() {
            return new ClusterDns(List.of(), "cluster.local", Optional.of(HOST_RESOLV_CONF));
        }
    }

    public KubeletSettings {
        Objects.requireNonNull(nodeName);
        Objects.requireNonNull(podCidr);
        nodeIps = List.copyOf(nodeIps);
        if (nodeIps.isEmpty()) {
            throw new IllegalArgumentException("a node needs at least one address");
        }
        Objects.requireNonNull(bindAddress);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        rootDir = rootDir.toAbsolutePath().normalize();
        Objects.requireNonNull(clientCa);
        Objects.requireNonNull(kubeletVersion);
        Objects.requireNonNull(dns);
    }

    public Path podLogs() {
        return rootDir.resolve("pods");
    }

    public Path pki() {
        return rootDir.resolve("pki");
    }
}
