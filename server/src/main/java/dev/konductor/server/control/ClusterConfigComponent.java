package dev.konductor.server.control;

import dev.konductor.server.node.ClusterConfig;
import dev.konductor.server.supervisor.Component;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Function;

/**
 * Publishes what joining agents must agree on ({@link ClusterConfig}: the service and cluster
 * CIDRs, the cluster DNS address and where the registry answers) in
 * {@code kube-system/konductor-config}, on every start, through the API server like any client.
 */
public final class ClusterConfigComponent implements Component {

    public static final String NAME = "cluster-config";

    private final Path kubeconfig;
    private final ServerOptions options;
    private final InetAddress advertiseAddress;
    private final ImageRegistryComponent registry;
    private volatile boolean published;

    public ClusterConfigComponent(Path kubeconfig, ServerOptions options, InetAddress advertiseAddress,
                                  ImageRegistryComponent registry) {
        this.kubeconfig = kubeconfig;
        this.options = options;
        this.advertiseAddress = advertiseAddress;
        this.registry = registry;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of(ApiServerComponent.NAME, ImageRegistryComponent.NAME);
    }

    @Override
    public void start(Monitor monitor) {
        ClusterConfig config = new ClusterConfig(options.serviceCidr(), options.clusterCidr(), options.clusterDns(),
                registry.urlAt(advertiseAddress));
        try (KubernetesClient client = LocalClients.fromKubeconfig(kubeconfig)) {
            var configMaps = client.configMaps().inNamespace(ClusterConfig.NAMESPACE);
            ConfigMap existing = configMaps.withName(ClusterConfig.NAME).get();
            Function<String, ConfigMap> build = resourceVersion -> new ConfigMapBuilder()
                    .withNewMetadata().withName(ClusterConfig.NAME).withNamespace(ClusterConfig.NAMESPACE)
                    .withResourceVersion(resourceVersion).endMetadata()
                    .withData(config.toData()).build();
            if (existing == null) {
                configMaps.resource(build.apply(null)).create();
            } else if (!config.toData().equals(existing.getData())) {
                configMaps.resource(build.apply(existing.getMetadata().getResourceVersion())).update();
            }
        }
        published = true;
    }

    @Override
    public boolean ready() {
        return published;
    }

    @Override
    public void stop() {
        // The ConfigMap stays: agents read it whenever they (re)join.
    }
}
