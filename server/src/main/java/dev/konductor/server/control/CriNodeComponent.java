package dev.konductor.server.control;

import dev.konductor.apiserver.rest.ServerVersion;
import dev.konductor.kubelet.Kubelet;
import dev.konductor.kubelet.KubeletSettings;
import dev.konductor.server.supervisor.Component;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * {@code --runtime cri}: this server's own node, a kubelet over the local containerd. Like any
 * remote kubelet it reaches the API server through a client; it trusts the cluster CA for the
 * API server's requests to its HTTPS endpoint (logs).
 */
public final class CriNodeComponent implements Component {

    public static final String NAME = "node";

    private final Path kubeconfig;
    private final String nodeName;
    private final String podCidr;
    private final InetAddress nodeIp;
    private final int kubeletPort;
    private final Path rootDir;
    private final CertificatesComponent certificates;
    private final ContainerdComponent containerd;
    private final Clock clock;
    private volatile KubernetesClient client;
    private volatile Kubelet kubelet;
    private volatile boolean started;

    public CriNodeComponent(Path kubeconfig, String nodeName, String podCidr, InetAddress nodeIp, int kubeletPort,
                            Path rootDir, CertificatesComponent certificates, ContainerdComponent containerd, Clock clock) {
        this.kubeconfig = kubeconfig;
        this.nodeName = nodeName;
        this.podCidr = podCidr;
        this.nodeIp = nodeIp;
        this.kubeletPort = kubeletPort;
        this.rootDir = rootDir;
        this.certificates = certificates;
        this.containerd = containerd;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of(ApiServerComponent.NAME, ContainerdComponent.NAME);
    }

    @Override
    public void start(Monitor monitor) throws Exception {
        client = LocalClients.fromKubeconfig(kubeconfig);
        // The kubelet listens on all addresses, as upstream's: the API server reaches it at the node's InternalIP.
        KubeletSettings settings = new KubeletSettings(nodeName, podCidr, List.of(nodeIp),
                InetAddress.ofLiteral("0.0.0.0"), kubeletPort, rootDir,
                certificates.credentials().ca().certificate(), ServerVersion.GIT_VERSION);
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
