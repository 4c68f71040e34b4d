package dev.konductor.proxy.model;

import java.net.InetAddress;
import java.util.List;

/**
 * The proxy's desired state, computed from Services and EndpointSlices alone: every Service port
 * it forwards (in a stable order, so equal clusters give equal models) and every ClusterIP in use.
 * Knows nothing of nftables or sockets.
 *
 * @param ports      one entry per Service port, sorted by name
 * @param clusterIps every allocated ClusterIP of the family, sorted; traffic to any other
 *                   address of the service range is rejected
 */
public record ProxyModel(List<ServicePortRules> ports, List<InetAddress> clusterIps) {

    public static final ProxyModel EMPTY = new ProxyModel(List.of(), List.of());

    public ProxyModel {
        ports = List.copyOf(ports);
        clusterIps = List.copyOf(clusterIps);
    }
}
