package dev.konductor.server.control;

import dev.konductor.proxy.ingress.IngressController;
import dev.konductor.proxy.ingress.IngressSettings;
import dev.konductor.server.supervisor.Component;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Set;

/**
 * The built-in Ingress controller, for a process that runs a node (like the one k3s ships): an
 * HTTP(S) reverse proxy on the node's ports 80/443 (8080/8443 when not root) routing by the
 * cluster's Ingresses. It reaches the API server through a client built from the admin
 * kubeconfig, like any remote component, and writes the node's address into the status of the
 * Ingresses it serves.
 */
public final class IngressComponent implements Component {

    public static final String NAME = "ingress";

    private final Path kubeconfig;
    private final IngressSettings settings;
    private final Set<String> dependsOn;
    private volatile KubernetesClient client;
    private volatile IngressController controller;

    public IngressComponent(Path kubeconfig, IngressSettings settings) {
        this(kubeconfig, settings, Set.of(ApiServerComponent.NAME));
    }

    /** @param dependsOn the components that make the API server reachable through {@code kubeconfig} */
    public IngressComponent(Path kubeconfig, IngressSettings settings, Set<String> dependsOn) {
        this.kubeconfig = kubeconfig;
        this.settings = settings;
        this.dependsOn = Set.copyOf(dependsOn);
    }

    /**
     * Listening on every address, on {@code httpPort} and {@code httpsPort} (-1: no HTTPS),
     * reporting {@code nodeAddress} in Ingress status.
     */
    public static IngressComponent onNode(Path kubeconfig, InetAddress nodeAddress, int httpPort, int httpsPort,
                                          Set<String> dependsOn) {
        IngressSettings defaults = IngressSettings.defaults(nodeAddress.getHostAddress());
        return new IngressComponent(kubeconfig, defaults.withListeners(defaults.bindAddress(), httpPort, httpsPort),
                dependsOn);
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
    public void start(Monitor monitor) throws InterruptedException {
        client = LocalClients.fromKubeconfig(kubeconfig, "konductor-ingress");
        IngressController started = new IngressController(client, settings);
        controller = started;
        started.start();
    }

    /** Ready once it listens with routes built from complete caches. */
    @Override
    public boolean ready() {
        IngressController current = controller;
        return current != null && current.ready();
    }

    /** The bound HTTP port (useful with port 0); valid once started. */
    public int httpPort() {
        return controller.httpPort();
    }

    /** The bound HTTPS port, -1 if HTTPS is off; valid once started. */
    public int httpsPort() {
        return controller.httpsPort();
    }

    @Override
    public void stop() {
        if (controller != null) {
            controller.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
