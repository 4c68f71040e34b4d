package dev.konductor.server.control;

import dev.konductor.apiserver.rest.ServerVersion;
import dev.konductor.kubelet.Kubelet;
import dev.konductor.kubelet.KubeletSettings;
import dev.konductor.kubelet.process.ProcessRuntime;
import dev.konductor.server.KonductorVersion;
import dev.konductor.server.supervisor.Component;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --runtime process}: this server's own node, a kubelet whose containers are plain host
 * processes of the server's user ({@link ProcessRuntime}, state under {@code DATA/process}), for
 * machines without root or containerd. Pods share the node's network and IP. Stopping it stops
 * every container process, as stopping the {@code cri} node removes its pods.
 */
public final class ProcessNodeComponent implements Component {

    public static final String NAME = "node";

    private final Path kubeconfig;
    private final String nodeName;
    private final InetAddress nodeIp;
    private final int kubeletPort;
    private final Path dataDir;
    private final CertificatesComponent certificates;
    private final Clock clock;
    private volatile KubernetesClient client;
    private volatile ProcessRuntime runtime;
    private volatile Kubelet kubelet;
    private volatile boolean started;

    public ProcessNodeComponent(Path kubeconfig, String nodeName, InetAddress nodeIp, int kubeletPort,
                                Path dataDir, CertificatesComponent certificates, Clock clock) {
        this.kubeconfig = kubeconfig;
        this.nodeName = nodeName;
        this.nodeIp = nodeIp;
        this.kubeletPort = kubeletPort;
        this.dataDir = dataDir;
        this.certificates = certificates;
        this.clock = clock;
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
    public void start(Monitor monitor) throws Exception {
        runtime = ProcessRuntime.open(dataDir.resolve("process"), nodeIp, KonductorVersion.current().version(), clock);
        client = LocalClients.fromKubeconfig(kubeconfig, "kubelet");
        // The kubelet listens on all addresses, as upstream's: the API server reaches it at the node's InternalIP.
        KubeletSettings settings = new KubeletSettings(nodeName, Optional.empty(), List.of(nodeIp),
                InetAddress.ofLiteral("0.0.0.0"), kubeletPort, dataDir.resolve("kubelet"),
                certificates.credentials().ca().certificate(), ServerVersion.GIT_VERSION,
                KubeletSettings.ClusterDns.none()); // host-network pods use the host's resolv.conf
        kubelet = new Kubelet(client, runtime, settings, clock);
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
            kubelet.unmountVolumes();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
