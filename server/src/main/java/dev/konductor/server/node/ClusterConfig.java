package dev.konductor.server.node;

import dev.konductor.server.net.Cidr;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What every node must agree on with the server, published by the server in the ConfigMap
 * {@code kube-system/konductor-config} (as kubeadm publishes its {@code kubeadm-config}) and
 * read by agents when they join.
 *
 * @param serviceCidr the ClusterIP range
 * @param clusterCidr the pod range the node IPAM controller divides among nodes
 * @param clusterDns  the {@code kube-dns} Service's ClusterIP
 * @param registryUrl the cluster registry as other machines reach it
 */
public record ClusterConfig(Cidr serviceCidr, Cidr clusterCidr, InetAddress clusterDns, String registryUrl) {

    public static final String NAMESPACE = "kube-system";
    public static final String NAME = "konductor-config";

    public ClusterConfig {
        Objects.requireNonNull(serviceCidr);
        Objects.requireNonNull(clusterCidr);
        Objects.requireNonNull(clusterDns);
        Objects.requireNonNull(registryUrl);
    }

    public Map<String, String> toData() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("serviceCIDR", serviceCidr.toString());
        data.put("clusterCIDR", clusterCidr.toString());
        data.put("clusterDNS", clusterDns.getHostAddress());
        data.put("registry", registryUrl);
        return data;
    }

    /** @throws IllegalArgumentException naming what is missing or malformed */
    public static ClusterConfig fromData(Map<String, String> data) {
        return new ClusterConfig(Cidr.parse(required(data, "serviceCIDR")), Cidr.parse(required(data, "clusterCIDR")),
                InetAddress.ofLiteral(required(data, "clusterDNS")), required(data, "registry"));
    }

    private static String required(Map<String, String> data, String key) {
        String value = data == null ? null : data.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("ConfigMap " + NAMESPACE + "/" + NAME + " lacks " + key);
        }
        return value;
    }
}
