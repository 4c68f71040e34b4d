package dev.konductor.server.control;

import dev.konductor.apiserver.ApiServerConfig;
import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.net.Cidr;
import dev.konductor.server.node.IngressPorts;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * How {@code konductor server} was asked to run, validated.
 *
 * @param dataDir          where certificates, token, kubeconfig and the embedded store live
 * @param bindAddress      the address to listen on; empty for all addresses (IPv4 and IPv6)
 * @param port             the HTTPS port; 0 picks a free one
 * @param datastore        {@code sqlite} or {@code etcd://host:port[,host:port...]}
 * @param runtime          the local node agent's runtime
 * @param serviceCidr      the ClusterIP range
 * @param advertiseAddress the address published for the API server; empty to pick one
 * @param schedulerConfig  a KubeSchedulerConfiguration file for the scheduler; empty for defaults
 * @param kubeletPort      the local node's kubelet HTTPS port (upstream's 10250; 0 picks a free one)
 * @param clusterCidr      the pod range: the node IPAM controller gives every node (the local one
 *                         too) a /24 of it in {@code spec.podCIDR}
 * @param storageDir       where on a node the default StorageClass's volumes are made
 *                         ({@code DATA/storage} unless given, as k3s keeps its local-path volumes)
 * @param ingressPorts     where the local node's Ingress controller listens ({@link IngressPorts#defaults()}
 *                         unless given)
 */
public record ServerOptions(DataDir dataDir, Optional<InetAddress> bindAddress, int port, String datastore,
                            NodeRuntime runtime, Cidr serviceCidr, Optional<InetAddress> advertiseAddress,
                            Optional<java.nio.file.Path> schedulerConfig, int kubeletPort, Cidr clusterCidr,
                            java.nio.file.Path storageDir, IngressPorts ingressPorts, Duration eventTtl) {

    public static final int DEFAULT_KUBELET_PORT = 10250;
    public static final String DEFAULT_CLUSTER_CIDR = "10.244.0.0/16";
    /** Each node's share of the cluster CIDR, as upstream's --node-cidr-mask-size-ipv4. */
    public static final int NODE_CIDR_MASK_SIZE = 24;

    public ServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        if (kubeletPort < 0 || kubeletPort > 65535) {
            throw new IllegalArgumentException("kubelet port must be between 0 and 65535: " + kubeletPort);
        }
        bindAddress = bindAddress.filter(address -> !address.isAnyLocalAddress());
        if (clusterCidr.network().getAddress().length != 4 || clusterCidr.prefixLength() > NODE_CIDR_MASK_SIZE) {
            throw new IllegalArgumentException("cluster CIDR must be an IPv4 range of at least one /"
                    + NODE_CIDR_MASK_SIZE + ": " + clusterCidr);
        }
        storageDir = storageDir == null ? dataDir.storage() : storageDir.toAbsolutePath().normalize();
        ingressPorts = ingressPorts == null ? IngressPorts.defaults() : ingressPorts;
        eventTtl = eventTtl == null ? ApiServerConfig.DEFAULT_EVENT_TTL : eventTtl;
        if (eventTtl.isNegative() || eventTtl.isZero()) {
            throw new IllegalArgumentException("event TTL must be positive: " + eventTtl);
        }
    }

    /** With events kept for upstream's default hour. */
    public ServerOptions(DataDir dataDir, Optional<InetAddress> bindAddress, int port, String datastore,
                         NodeRuntime runtime, Cidr serviceCidr, Optional<InetAddress> advertiseAddress,
                         Optional<java.nio.file.Path> schedulerConfig, int kubeletPort, Cidr clusterCidr,
                         java.nio.file.Path storageDir, IngressPorts ingressPorts) {
        this(dataDir, bindAddress, port, datastore, runtime, serviceCidr, advertiseAddress, schedulerConfig,
                kubeletPort, clusterCidr, storageDir, ingressPorts, null);
    }

    /** With the volumes under the data directory. */
    public ServerOptions(DataDir dataDir, Optional<InetAddress> bindAddress, int port, String datastore,
                         NodeRuntime runtime, Cidr serviceCidr, Optional<InetAddress> advertiseAddress,
                         Optional<java.nio.file.Path> schedulerConfig, int kubeletPort, Cidr clusterCidr) {
        this(dataDir, bindAddress, port, datastore, runtime, serviceCidr, advertiseAddress, schedulerConfig,
                kubeletPort, clusterCidr, null, null);
    }

    /** With the node defaults (kubelet port 10250, cluster CIDR 10.244.0.0/16). */
    public ServerOptions(DataDir dataDir, Optional<InetAddress> bindAddress, int port, String datastore,
                         NodeRuntime runtime, Cidr serviceCidr, Optional<InetAddress> advertiseAddress,
                         Optional<java.nio.file.Path> schedulerConfig) {
        this(dataDir, bindAddress, port, datastore, runtime, serviceCidr, advertiseAddress, schedulerConfig,
                DEFAULT_KUBELET_PORT, Cidr.parse(DEFAULT_CLUSTER_CIDR));
    }

    /** The cluster DNS Service's address: the tenth of the service range, as kubeadm picks it. */
    public InetAddress clusterDns() {
        return serviceCidr.host(10);
    }
}
