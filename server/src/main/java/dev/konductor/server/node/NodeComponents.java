package dev.konductor.server.node;

import dev.konductor.kubelet.KubeletSettings;
import dev.konductor.kubelet.images.Digests;
import dev.konductor.proxy.ProxyMode;
import dev.konductor.proxy.ProxySettings;
import dev.konductor.proxy.networkpolicy.NetworkPolicySettings;
import dev.konductor.proxy.model.Cidr;
import dev.konductor.server.control.ContainerdComponent;
import dev.konductor.server.control.CriNodeComponent;
import dev.konductor.server.control.DnsComponent;
import dev.konductor.server.control.IngressComponent;
import dev.konductor.server.control.NetworkPolicyComponent;
import dev.konductor.server.control.ProxyComponent;
import dev.konductor.server.supervisor.Component;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * What runs on a node that runs real pods, for the server's own node and for an agent alike:
 * <ul>
 *   <li>{@code containerd}, pulling only from the cluster registry;</li>
 *   <li>{@code node}, the kubelet, which registers the Node;</li>
 *   <li>{@code pod-network}: the pod CIDR the node IPAM controller assigned, given to the CNI
 *       bridge, and host-gw routes to the other nodes' pods;</li>
 *   <li>{@code proxy}: the service proxy (nftables as root, which also routes the service CIDR to
 *       a discarding link and rejects unallocated ClusterIPs) with ServiceLB;</li>
 *   <li>{@code network-policy}: NetworkPolicy enforcement for the node's pods, in nftables beside
 *       the proxy's table (it turns on {@code br_netfilter}'s settings so that traffic between two
 *       pods of the node's bridge is filtered too);</li>
 *   <li>{@code dns}: the cluster DNS server on the node's address, the node's endpoint of
 *       {@code kube-dns};</li>
 *   <li>{@code ingress}: the built-in Ingress controller, on {@link NodeSpec#ingressPorts()}.</li>
 * </ul>
 * Host objects are named after the data directory, so two clusters on one machine never share
 * a bridge, a link or an nftables table.
 */
public final class NodeComponents {

    private NodeComponents() {
    }

    /**
     * @throws IllegalStateException when the proxy could not keep the service CIDR on the node
     *                               (root without nftables)
     */
    public static List<Component> cri(NodeSpec node, ClusterAccess cluster, Clock clock) {
        Path kubeconfig = cluster.kubeconfig();
        List<String> podRoutes = List.of(node.serviceCidr().toString(), node.clusterCidr().toString(),
                node.nodeIp().getHostAddress() + "/32");
        ContainerdComponent containerd = new ContainerdComponent(node.dataDir(), podRoutes, cluster::registryUrl,
                cluster.components());
        KubeletSettings.ClusterDns dns = new KubeletSettings.ClusterDns(List.of(node.clusterDns().getHostAddress()),
                NodeSpec.CLUSTER_DOMAIN, Optional.of(KubeletSettings.ClusterDns.HOST_RESOLV_CONF));
        CriNodeComponent kubelet = new CriNodeComponent(kubeconfig, node.nodeName(), node.nodeIp(), node.kubeletPort(),
                node.dataDir().resolve("kubelet"), cluster::clusterCa, dns, containerd, cluster.components(), clock);
        Cidr clusterCidr = Cidr.parse(node.clusterCidr().toString());
        String suffix = suffix(node.dataDir());
        ProxySettings proxy = ProxySettings.defaults(node.nodeName(), Cidr.parse(node.serviceCidr().toString()))
                .withClusterCidr(clusterCidr)
                .withHostNames("konductor-" + suffix, "ksvc" + suffix);
        if (proxy.mode() != ProxyMode.NFTABLES) {
            // userspace mode neither routes the service CIDR to the node nor rejects unallocated ClusterIPs
            throw new IllegalStateException("a node that runs containers needs nftables for its service proxy,"
                    + " so that ClusterIP traffic never leaves the machine: apt-get install nftables");
        }
        try {
            return List.of(containerd, kubelet,
                    new PodNetworkComponent(kubeconfig, node.nodeName(), clusterCidr, containerd),
                    new ProxyComponent(cluster.proxyKubeconfig(), proxy, true, cluster.components()),
                    new NetworkPolicyComponent(kubeconfig, networkPolicy(node.nodeName(), suffix), cluster.components()),
                    DnsComponent.onNode(kubeconfig, node.nodeName(), node.nodeIp(), cluster.components()),
                    IngressComponent.onNode(kubeconfig, node.nodeIp(), node.ingressPorts().http(),
                            node.ingressPorts().https(), cluster.components()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the host's resolvers for the cluster DNS: " + e.getMessage(), e);
        }
    }

    /** The defaults, in a table of this data directory's (the proxy's is {@code ip konductor-SUFFIX}). */
    static NetworkPolicySettings networkPolicy(String nodeName, String suffix) {
        return NetworkPolicySettings.defaults(nodeName).withTable("konductor-netpol-" + suffix);
    }

    /** Eight hex digits naming this data directory's host objects. */
    static String suffix(Path dataDir) {
        String digest = Digests.sha256(dataDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
        return digest.substring("sha256:".length(), "sha256:".length() + 8);
    }
}
