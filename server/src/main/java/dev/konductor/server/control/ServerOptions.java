package dev.konductor.server.control;

import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.net.Cidr;
import java.net.InetAddress;
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
 * @param podCidr          the local node's pod CIDR (until a node IPAM controller hands them out)
 * @param storageDir       where on a node the default StorageClass's volumes are made
 *                         ({@code DATA/storage} unless given, as k3s keeps its local-path volumes)
 */
public record ServerOptions(DataDir dataDir, Optional<InetAddress> bindAddress, int port, String datastore,
                            NodeRuntime runtime, Cidr serviceCidr, Optional<InetAddress> advertiseAddress,
                            Optional<java.nio.file.Path> schedulerConfig, int kubeletPort, Cidr podCidr,
                            java.nio.file.Path storageDir) {

    public static final int DEFAULT_KUBELET_PORT = 10250;
    public static final String DEFAULT_POD_CIDR = "10.244.0.0/24";

    public ServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        if (kubeletPort < 0 || kubeletPort > 65535) {
            throw new IllegalArgumentException("kubelet port must be between 0 and 65535: " + kubeletPort);
        }
        bindAddress = bindAddress.filter(address -> !address.isAnyLocalAddress());
        storageDir = storageDir == null ? dataDir.storage() : storageDir.toAbsolutePath().normalize();
    }

    /** With the volumes under the data directory. */
    public ServerOptions(DataDir dataDir, Optional<InetAddress> bindAddress, int port, String datastore,
                         NodeRuntime runtime, Cidr serviceCidr, Optional<InetAddress> advertiseAddress,
                         Optional<java.nio.file.Path> schedulerConfig, int kubeletPort, Cidr podCidr) {
        this(dataDir, bindAddress, port, datastore, runtime, serviceCidr, advertiseAddress, schedulerConfig,
                kubeletPort, podCidr, null);
    }

    /** With the local node's defaults (kubelet port 10250, pod CIDR 10.244.0.0/24). */
    public ServerOptions(DataDir dataDir, Optional<InetAddress> bindAddress, int port, String datastore,
                         NodeRuntime runtime, Cidr serviceCidr, Optional<InetAddress> advertiseAddress,
                         Optional<java.nio.file.Path> schedulerConfig) {
        this(dataDir, bindAddress, port, datastore, runtime, serviceCidr, advertiseAddress, schedulerConfig,
                DEFAULT_KUBELET_PORT, Cidr.parse(DEFAULT_POD_CIDR));
    }
}
