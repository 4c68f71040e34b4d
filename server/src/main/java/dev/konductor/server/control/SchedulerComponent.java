package dev.konductor.server.control;

import dev.konductor.scheduler.Scheduler;
import dev.konductor.scheduler.SchedulerSettings;
import dev.konductor.server.supervisor.Component;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** The scheduler, a client of the API server, leader-elected through its Lease. */
public final class SchedulerComponent implements Component {

    public static final String NAME = "scheduler";

    private final Path kubeconfig;
    private final Optional<Path> configFile;
    private volatile KubernetesClient client;
    private volatile Scheduler scheduler;

    public SchedulerComponent(Path kubeconfig, Optional<Path> configFile) {
        this.kubeconfig = kubeconfig;
        this.configFile = configFile;
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
    public void start(Monitor monitor) {
        client = LocalClients.fromKubeconfig(kubeconfig, "kube-scheduler");
        scheduler = new Scheduler(client, new SchedulerSettings(LocalClients.identity(), configFile));
        scheduler.start();
    }

    @Override
    public boolean ready() {
        return scheduler != null;
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
