package dev.konductor.server.node;

import dev.konductor.proxy.hostgw.HostGatewayRoutes;
import dev.konductor.proxy.model.Cidr;
import dev.konductor.server.control.ContainerdComponent;
import dev.konductor.server.control.CriNodeComponent;
import dev.konductor.server.control.LocalClients;
import dev.konductor.server.net.NetworkInterfaces;
import dev.konductor.server.supervisor.Component;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's pod network, as a CNI daemon such as flannel does it on upstream nodes: waits for
 * the pod CIDR the node IPAM controller writes into the registered Node's {@code spec.podCIDR},
 * gives it to containerd (the CNI bridge), then keeps host-gw routes to every other node's pods
 * ({@link HostGatewayRoutes}). Until then the node reports its network not ready and runs no pod.
 */
public final class PodNetworkComponent implements Component {

    public static final String NAME = "pod-network";
    static final Duration POLL = Duration.ofMillis(250);
    private static final Logger log = LoggerFactory.getLogger(PodNetworkComponent.class);

    private final Path kubeconfig;
    private final String nodeName;
    private final Cidr clusterCidr;
    private final ContainerdComponent containerd;
    private volatile KubernetesClient client;
    private volatile HostGatewayRoutes routes;
    private volatile boolean stopping;

    public PodNetworkComponent(Path kubeconfig, String nodeName, Cidr clusterCidr, ContainerdComponent containerd) {
        this.kubeconfig = kubeconfig;
        this.nodeName = nodeName;
        this.clusterCidr = clusterCidr;
        this.containerd = containerd;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** After the kubelet, which registers the Node the pod CIDR is written into. */
    @Override
    public Set<String> dependsOn() {
        return Set.of(CriNodeComponent.NAME, ContainerdComponent.NAME);
    }

    @Override
    public void start(Monitor monitor) throws Exception {
        client = LocalClients.fromKubeconfig(kubeconfig, "konductor-pod-network");
        String podCidr = awaitPodCidr();
        if (podCidr == null) {
            return; // stopped meanwhile
        }
        Cidr pods = Cidr.parse(podCidr);
        if (!pods.isIpv4() || !clusterCidr.contains(pods.network())) {
            log.warn("node pod CIDR is outside the cluster CIDR node={} podCidr={} clusterCidr={}; other nodes"
                    + " will not route to it", nodeName, podCidr, clusterCidr);
        }
        Optional<String> holder = otherInterfaceIn(pods, containerd.bridge(), interfaceAddresses());
        if (holder.isPresent()) {
            throw new IllegalStateException("the node's pod CIDR " + podCidr + " is already on interface "
                    + holder.get() + ", so pods would not be reachable; if a cluster that did not stop cleanly"
                    + " left it behind, delete it (ip link delete " + holder.get() + ") and start again");
        }
        containerd.configurePodNetwork(podCidr);
        HostGatewayRoutes started = new HostGatewayRoutes(client, nodeName, clusterCidr);
        routes = started;
        started.start();
    }

    /**
     * An interface other than this node's bridge holding an address in {@code podCidr}: another
     * cluster's bridge on the same range (often one a killed cluster left behind), whose route
     * would take this node's pod traffic.
     */
    static Optional<String> otherInterfaceIn(Cidr podCidr, String bridge, Map<String, List<InetAddress>> addresses) {
        return addresses.entrySet().stream()
                .filter(e -> !e.getKey().equals(bridge))
                .filter(e -> e.getValue().stream().anyMatch(podCidr::contains))
                .map(Map.Entry::getKey)
                .sorted()
                .findFirst();
    }

    private static Map<String, List<InetAddress>> interfaceAddresses() throws SocketException {
        Map<String, List<InetAddress>> addresses = new HashMap<>();
        for (NetworkInterface nic : NetworkInterfaces.list()) {
            addresses.put(nic.getName(), nic.inetAddresses().toList());
        }
        return addresses;
    }

    private String awaitPodCidr() throws InterruptedException {
        boolean told = false;
        while (!stopping) {
            Node node = client.nodes().withName(nodeName).get();
            if (node != null && node.getSpec() != null && node.getSpec().getPodCIDR() != null) {
                return node.getSpec().getPodCIDR();
            }
            if (!told) {
                log.info("waiting for the node IPAM controller to assign a pod CIDR node={}", nodeName);
                told = true;
            }
            Thread.sleep(POLL);
        }
        return null;
    }

    /** Ready once pods have a network and the routes to the other nodes' pods are in place. */
    @Override
    public boolean ready() {
        HostGatewayRoutes current = routes;
        return current != null && current.ready();
    }

    @Override
    public void stop() {
        stopping = true;
        if (routes != null) {
            routes.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
