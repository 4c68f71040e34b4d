package dev.konductor.server.control;

import dev.konductor.proxy.networkpolicy.NetworkPolicyEnforcer;
import dev.konductor.proxy.networkpolicy.NetworkPolicySettings;
import dev.konductor.proxy.nftables.CommandRunner;
import dev.konductor.proxy.nftables.ProcessCommandRunner;
import dev.konductor.server.supervisor.Component;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * NetworkPolicy enforcement for a node (nftables, as root on Linux), beside its service proxy,
 * reaching the API server through a kubeconfig like any remote component. Stopping it removes
 * its nftables table: the node's pods are then no longer isolated.
 */
public final class NetworkPolicyComponent implements Component {

    public static final String NAME = "network-policy";

    private final Path kubeconfig;
    private final NetworkPolicySettings settings;
    private final CommandRunner runner;
    private final Set<String> dependsOn;
    private volatile KubernetesClient client;
    private volatile NetworkPolicyEnforcer enforcer;

    /**
     * Enforcement on this host's kernel.
     *
     * @param dependsOn the components that make the API server reachable through {@code kubeconfig}
     */
    public NetworkPolicyComponent(Path kubeconfig, NetworkPolicySettings settings, Set<String> dependsOn) {
        this(kubeconfig, settings, new ProcessCommandRunner(Duration.ofSeconds(30)), dependsOn);
    }

    /** Enforcement through {@code runner}'s {@code nft} and {@code sysctl} (another namespace, or a fake). */
    public NetworkPolicyComponent(Path kubeconfig, NetworkPolicySettings settings, CommandRunner runner,
                                  Set<String> dependsOn) {
        this.kubeconfig = kubeconfig;
        this.settings = settings;
        this.runner = runner;
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
        client = LocalClients.fromKubeconfig(kubeconfig, "konductor-network-policy");
        enforcer = new NetworkPolicyEnforcer(client, settings, runner);
        enforcer.start();
    }

    /** Ready once the rules for the cluster as first listed are in place. */
    @Override
    public boolean ready() {
        NetworkPolicyEnforcer current = enforcer;
        return current != null && current.ready();
    }

    public NetworkPolicyEnforcer enforcer() {
        return enforcer;
    }

    @Override
    public void stop() {
        if (enforcer != null) {
            enforcer.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
