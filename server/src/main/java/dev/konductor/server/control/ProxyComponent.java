package dev.konductor.server.control;

import dev.konductor.proxy.ProxySettings;
import dev.konductor.proxy.ServiceProxy;
import dev.konductor.proxy.servicelb.ServiceLoadBalancer;
import dev.konductor.server.supervisor.Component;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Set;

/**
 * The service proxy of a node (nftables as root on Linux, userspace otherwise; see
 * {@link ProxySettings#mode()}), reaching the API server through a kubeconfig like any remote
 * component, and optionally the built-in ServiceLB controller beside it. Stopping it removes
 * what it added to the host: the nftables table, the service link and its route.
 */
public final class ProxyComponent implements Component {

    public static final String NAME = "proxy";

    private final Path kubeconfig;
    private final ProxySettings settings;
    private final boolean serviceLoadBalancer;
    private final Set<String> dependsOn;
    private volatile KubernetesClient client;
    private volatile ServiceProxy proxy;
    private volatile ServiceLoadBalancer loadBalancer;

    /**
     * @param kubeconfig          how to reach the API server
     * @param settings            the node's proxy settings
     * @param serviceLoadBalancer whether to run the ServiceLB controller too (once per cluster
     *                            is enough, though every copy agrees with the others)
     */
    public ProxyComponent(Path kubeconfig, ProxySettings settings, boolean serviceLoadBalancer) {
        this(kubeconfig, settings, serviceLoadBalancer, Set.of(ApiServerComponent.NAME));
    }

    /** @param dependsOn the components that make the API server reachable through {@code kubeconfig} */
    public ProxyComponent(Path kubeconfig, ProxySettings settings, boolean serviceLoadBalancer, Set<String> dependsOn) {
        this.kubeconfig = kubeconfig;
        this.settings = settings;
        this.serviceLoadBalancer = serviceLoadBalancer;
        this.dependsOn = Set.copyOf(dependsOn);
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
    public void start(Monitor monitor) throws Exception {
        client = LocalClients.fromKubeconfig(kubeconfig, "kube-proxy");
        proxy = new ServiceProxy(client, settings);
        proxy.start();
        if (serviceLoadBalancer) {
            loadBalancer = new ServiceLoadBalancer(client);
            loadBalancer.start();
        }
    }

    /** Ready once the rules for the cluster as first listed are in place. */
    @Override
    public boolean ready() {
        ServiceProxy current = proxy;
        ServiceLoadBalancer lb = loadBalancer;
        return current != null && current.ready() && (!serviceLoadBalancer || (lb != null && lb.ready()));
    }

    public ServiceProxy proxy() {
        return proxy;
    }

    @Override
    public void stop() {
        if (loadBalancer != null) {
            loadBalancer.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
