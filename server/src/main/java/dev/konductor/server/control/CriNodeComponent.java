package dev.konductor.server.control;

import dev.konductor.apiserver.rest.ServerVersion;
import dev.konductor.kubelet.Kubelet;
import dev.konductor.kubelet.KubeletSettings;
import dev.konductor.server.supervisor.Component;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code --runtime cri}: a node's kubelet over its containerd. Like any remote kubelet it
 * reaches the API server through a client; it trusts the cluster CA for the API server's
 * requests to its HTTPS endpoint (logs). Its pod CIDR comes from the node IPAM controller.
 */
public final class CriNodeComponent implements Component {

    public static final String NAME = "node";

    private final Path kubeconfig;
    private final String nodeName;
    private final InetAddress nodeIp;
    private final int kubeletPort;
    private final Path rootDir;
    private final Supplier<X509Certificate> clusterCa;
    private final KubeletSettings.ClusterDns dns;
    private final ContainerdComponent containerd;
    private final Set<String> dependsOn;
    private final Clock clock;
    private volatile KubernetesClient client;
    private volatile Kubelet kubelet;
    private volatile boolean started;

    /**
     * @param clusterCa asked once the components in {@code dependsOn} are ready
     * @param dependsOn the components that make the API server reachable (containerd is added)
     */
    public CriNodeComponent(Path kubeconfig, String nodeName, InetAddress nodeIp, int kubeletPort, Path rootDir,
                            Supplier<X509Certificate> clusterCa, KubeletSettings.ClusterDns dns,
                            ContainerdComponent containerd, Set<String> dependsOn, Clock clock) {
        this.kubeconfig = kubeconfig;
        this.nodeName = nodeName;
        this.nodeIp = nodeIp;
        this.kubeletPort = kubeletPort;
        this.rootDir = rootDir;
        this.clusterCa = clusterCa;
        this.dns = dns;
        this.containerd = containerd;
        java.util.Set<String> all = new java.util.HashSet<>(dependsOn);
        all.add(ContainerdComponent.NAME);
        this.dependsOn = Set.copyOf(all);
        this.clock = clock;
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
        client = LocalClients.fromKubeconfig(kubeconfig, "kubelet");
        // The kubelet listens on all addresses, as upstream's: the API server reaches it at the node's InternalIP.
        KubeletSettings settings = new KubeletSettings(nodeName, Optional.empty(), List.of(nodeIp),
                InetAddress.ofLiteral("0.0.0.0"), kubeletPort, rootDir, clusterCa.get(), ServerVersion.GIT_VERSION, dns);
        kubelet = new Kubelet(client, containerd.runtime(), settings, clock);
        kubelet.start();
        started = true;
    }

    @Override
    public boolean ready() {
        return started;
    }

    @Override
    public void stop() {
        if (kubelet != null) {
            kubelet.close();
            // The containerd component removes every pod after this: their tmpfs volumes go with them.
            kubelet.unmountVolumes();
        }
        if (client != null) {
            client.close();
        }
    }
}
