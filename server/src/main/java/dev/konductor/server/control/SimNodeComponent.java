package dev.konductor.server.control;

import dev.konductor.kubelet.sim.SimNodes;
import dev.konductor.kubelet.sim.SimSettings;
import dev.konductor.server.supervisor.Component;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Set;

/** {@code --runtime sim}: this server's own node is a simulated one (pods run on a timer). */
public final class SimNodeComponent implements Component {

    public static final String NAME = "node";

    private final Path kubeconfig;
    private final SimSettings settings;
    private final Set<String> dependsOn;
    private volatile KubernetesClient client;
    private volatile SimNodes nodes;

    public SimNodeComponent(Path kubeconfig, SimSettings settings) {
        this(kubeconfig, settings, Set.of(ApiServerComponent.NAME));
    }

    /** @param dependsOn the components that make the API server reachable through {@code kubeconfig} */
    public SimNodeComponent(Path kubeconfig, SimSettings settings, Set<String> dependsOn) {
        this.kubeconfig = kubeconfig;
        this.settings = settings;
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
    public void start(Monitor monitor) {
        client = LocalClients.fromKubeconfig(kubeconfig, "kubelet");
        nodes = new SimNodes(client, settings);
        nodes.start();
    }

    @Override
    public boolean ready() {
        return nodes != null;
    }

    @Override
    public void stop() {
        if (nodes != null) {
            nodes.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
