package dev.konductor.server.control;

import dev.konductor.controllers.ControllerManager;
import dev.konductor.controllers.Controllers;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.nodeipam.NodeIpamSettings;
import dev.konductor.server.supervisor.Component;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

/** The controller manager, a client of the API server, leader-elected through its Lease. */
public final class ControllerManagerComponent implements Component {

    public static final String NAME = "controller-manager";

    private final Path kubeconfig;
    private final NodeIpamSettings ipam;
    private final CertificatesComponent certificates;
    private final Path storageDir;
    private final Clock clock;
    private volatile KubernetesClient client;
    private volatile ControllerManager manager;

    /**
     * @param certificates the service account key, for legacy token Secrets
     * @param storageDir   where on a node the hostPath provisioner makes volumes
     * @param ipam         the cluster CIDR the node IPAM controller divides among nodes
     */
    public ControllerManagerComponent(Path kubeconfig, CertificatesComponent certificates, Path storageDir,
                                      NodeIpamSettings ipam, Clock clock) {
        this.kubeconfig = kubeconfig;
        this.certificates = certificates;
        this.storageDir = storageDir;
        this.ipam = ipam;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of(ApiServerComponent.NAME, CertificatesComponent.NAME);
    }

    @Override
    public void start(Monitor monitor) {
        client = LocalClients.fromKubeconfig(kubeconfig, "kube-controller-manager");
        ControllerSettings settings = ControllerSettings.defaults()
                .withServiceAccountKey(certificates.credentials().serviceAccountKey())
                .withHostPathStorageRoot(storageDir.toString());
        manager = new ControllerManager(client, LocalClients.identity(), () -> Controllers.all(ipam), settings, clock);
        manager.start();
    }

    @Override
    public boolean ready() {
        return manager != null;
    }

    @Override
    public void stop() {
        if (manager != null) {
            manager.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
