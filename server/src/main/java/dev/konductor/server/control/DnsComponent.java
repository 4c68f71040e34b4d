package dev.konductor.server.control;

import dev.konductor.proxy.dns.DnsServer;
import dev.konductor.proxy.dns.DnsSettings;
import dev.konductor.proxy.dns.UpstreamForwarder;
import dev.konductor.server.supervisor.Component;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The cluster DNS server, for a process that runs a node: answers for the cluster domain from
 * the API server (through a client, like any remote component) and forwards the rest to the
 * host's resolvers. The node agent decides where it listens, normally the address behind the
 * {@code kube-dns} Service.
 */
public final class DnsComponent implements Component {

    public static final String NAME = "dns";
    static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    private final Path kubeconfig;
    private final DnsSettings settings;
    private volatile KubernetesClient client;
    private volatile DnsServer server;

    public DnsComponent(Path kubeconfig, DnsSettings settings) {
        this.kubeconfig = kubeconfig;
        this.settings = settings;
    }

    /** Port 53 on {@code address}, the default cluster domain and TTL, forwarding to the host's resolv.conf. */
    public static DnsComponent onHost(Path kubeconfig, InetAddress address) throws IOException {
        UpstreamForwarder upstream = UpstreamForwarder.fromResolvConf(HOST_RESOLV_CONF,
                List.of(new InetSocketAddress(address, 53)));
        return new DnsComponent(kubeconfig, DnsSettings.defaults(address, upstream));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of(ApiServerComponent.NAME);
    }

    @Override
    public void start(Monitor monitor) throws IOException, InterruptedException {
        client = LocalClients.fromKubeconfig(kubeconfig);
        server = new DnsServer(client, settings);
        server.start();
    }

    /** Ready once it listens and its caches hold the cluster's Services and EndpointSlices. */
    @Override
    public boolean ready() {
        DnsServer current = server;
        return current != null && current.ready();
    }

    /** The bound port (useful with port 0); valid once started. */
    public int port() {
        return server.port();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
