package dev.konductor.kubelet;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * How a kubelet runs.
 *
 * @param nodeName       the Node's name (the host name, lowercased)
 * @param podCidr        the node's pod CIDR, published in {@code spec.podCIDR}
 * @param nodeIps        the node's InternalIP addresses (first one is the pods' hostIP)
 * @param bindAddress    where the kubelet's HTTPS endpoint listens
 * @param port           its port (upstream's 10250; 0 picks a free one)
 * @param rootDir        the kubelet's directory: pod logs under {@code pods/}, its certificate under {@code pki/}
 * @param clientCa       the cluster CA: client certificates it issued may read logs
 * @param kubeletVersion the version published in nodeInfo
 */
public record KubeletSettings(String nodeName, String podCidr, List<InetAddress> nodeIps, InetAddress bindAddress, int port,
                              Path rootDir, X509Certificate clientCa, String kubeletVersion) {

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
    }

    public Path podLogs() {
        return rootDir.resolve("pods");
    }

    public Path pki() {
        return rootDir.resolve("pki");
    }
}
