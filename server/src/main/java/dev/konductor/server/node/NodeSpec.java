package dev.konductor.server.node;

import dev.konductor.server.net.Cidr;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What makes one node: its name and address, where it keeps its files, and the cluster's
 * networks it joins.
 *
 * @param nodeName     the Node's name
 * @param nodeIp       its InternalIP: other nodes route its pods through it; DNS listens on it
 * @param kubeletPort  the kubelet's HTTPS port
 * @param dataDir      where containerd and the kubelet keep their files
 * @param serviceCidr  the cluster's ClusterIP range
 * @param clusterCidr  the cluster's pod range (each node gets a part of it from the node IPAM controller)
 * @param clusterDns   the {@code kube-dns} Service's ClusterIP, the pods' name server
 * @param ingressPorts where the node's Ingress controller listens
 */
public record NodeSpec(String nodeName, InetAddress nodeIp, int kubeletPort, Path dataDir, Cidr serviceCidr,
                       Cidr clusterCidr, InetAddress clusterDns, IngressPorts ingressPorts) {

    public static final String CLUSTER_DOMAIN = "cluster.local";

    public NodeSpec {
        Objects.requireNonNull(nodeName);
        Objects.requireNonNull(nodeIp);
        Objects.requireNonNull(dataDir);
        Objects.requireNonNull(serviceCidr);
        Objects.requireNonNull(clusterCidr);
        Objects.requireNonNull(clusterDns);
        Objects.requireNonNull(ingressPorts);
        if (nodeIp.getAddress().length != 4) {
            throw new IllegalArgumentException("the node address must be IPv4: " + nodeIp.getHostAddress());
        }
        if (kubeletPort < 0 || kubeletPort > 65535) {
            throw new IllegalArgumentException("kubelet port must be between 0 and 65535: " + kubeletPort);
        }
    }
}
