package dev.konductor.server.control;

import dev.konductor.proxy.dns.DnsServer;
import dev.konductor.proxy.dns.DnsSettings;
import dev.konductor.proxy.dns.UpstreamForwarder;
import dev.konductor.server.supervisor.Component;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster DNS server, for a process that runs a node: answers for the cluster domain from
 * the API server (through a client, like any remote component) and forwards the rest to the
 * host's resolvers. On a node it listens on the node's address and publishes itself as that
 * node's endpoint of the {@code kube-dns} Service (an EndpointSlice of its own, removed on
 * stop), so pods reach it at the Service's ClusterIP through the node's proxy.
 */
public final class DnsComponent implements Component {

    public static final String NAME = "dns";
    static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");
    static final String DNS_NAMESPACE = "kube-system";
    static final String DNS_SERVICE = "kube-dns";
    static final String MANAGED_BY = "konductor-node";
    private static final Logger log = LoggerFactory.getLogger(DnsComponent.class);

    /** Whose endpoint of {@code kube-dns} this server is. */
    public record NodeEndpoint(String nodeName, InetAddress address) {
    }

    private final Path kubeconfig;
    private final DnsSettings settings;
    private final Optional<NodeEndpoint> endpoint;
    private final Set<String> dependsOn;
    private volatile KubernetesClient client;
    private volatile DnsServer server;
    private volatile boolean published;

    public DnsComponent(Path kubeconfig, DnsSettings settings) {
        this(kubeconfig, settings, Optional.empty(), Set.of(ApiServerComponent.NAME));
    }

    /**
     * @param endpoint  the node to publish as an endpoint of {@code kube-dns}; empty for none
     * @param dependsOn the components that make the API server reachable through {@code kubeconfig}
     */
    public DnsComponent(Path kubeconfig, DnsSettings settings, Optional<NodeEndpoint> endpoint, Set<String> dependsOn) {
        this.kubeconfig = kubeconfig;
        this.settings = settings;
        this.endpoint = endpoint;
        this.dependsOn = Set.copyOf(dependsOn);
    }

    /** Port 53 on the node's address, the default cluster domain and TTL, forwarding to the host's resolv.conf. */
    public static DnsComponent onNode(Path kubeconfig, String nodeName, InetAddress address, Set<String> dependsOn)
            throws IOException {
        UpstreamForwarder upstream = UpstreamForwarder.fromResolvConf(HOST_RESOLV_CONF,
                List.of(new InetSocketAddress(address, 53)));
        return new DnsComponent(kubeconfig, DnsSettings.defaults(address, upstream),
                Optional.of(new NodeEndpoint(nodeName, address)), dependsOn);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> dependsOn() {
        return dependsOn;
    }

    @Override
    public void start(Monitor monitor) throws IOException, InterruptedException {
        client = LocalClients.fromKubeconfig(kubeconfig, "konductor-dns");
        server = new DnsServer(client, settings);
        server.start();
        if (endpoint.isPresent()) {
            publish(endpoint.get());
            published = true;
        }
    }

    /** The node's own EndpointSlice of kube-dns, created or brought up to date. */
    private void publish(NodeEndpoint node) {
        EndpointSlice wanted = endpointSlice(node, server.port());
        var slices = client.discovery().v1().endpointSlices().inNamespace(DNS_NAMESPACE);
        EndpointSlice existing = slices.withName(wanted.getMetadata().getName()).get();
        if (existing == null) {
            slices.resource(wanted).create();
        } else {
            slices.resource(new EndpointSliceBuilder(wanted).editMetadata()
                    .withResourceVersion(existing.getMetadata().getResourceVersion()).endMetadata().build()).update();
        }
        log.info("cluster DNS published as an endpoint of {}/{} node={} address={}", DNS_NAMESPACE, DNS_SERVICE,
                node.nodeName(), node.address().getHostAddress());
    }

    static EndpointSlice endpointSlice(NodeEndpoint node, int port) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withName(DNS_SERVICE + "-" + node.nodeName()).withNamespace(DNS_NAMESPACE)
                .addToLabels("kubernetes.io/service-name", DNS_SERVICE)
                .addToLabels("endpointslice.kubernetes.io/managed-by", MANAGED_BY)
                .endMetadata()
                .withAddressType(node.address().getAddress().length == 4 ? "IPv4" : "IPv6")
                .addNewEndpoint().withAddresses(node.address().getHostAddress()).withNodeName(node.nodeName())
                .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                .endEndpoint()
                .addNewPort().withName("dns").withProtocol("UDP").withPort(port).endPort()
                .addNewPort().withName("dns-tcp").withProtocol("TCP").withPort(port).endPort()
                .build();
    }

    /** Ready once it listens, its caches hold the cluster's Services and EndpointSlices, and it is published. */
    @Override
    public boolean ready() {
        DnsServer current = server;
        return current != null && current.ready() && (endpoint.isEmpty() || published);
    }

    /** The bound port (useful with port 0); valid once started. */
    public int port() {
        return server.port();
    }

    @Override
    public void stop() {
        if (published && client != null) {
            try {
                client.discovery().v1().endpointSlices().inNamespace(DNS_NAMESPACE)
                        .withName(DNS_SERVICE + "-" + endpoint.get().nodeName()).delete();
            } catch (KubernetesClientException e) {
                log.warn("cannot withdraw the kube-dns endpoint node={}: {}", endpoint.get().nodeName(), e.getMessage());
            }
        }
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
