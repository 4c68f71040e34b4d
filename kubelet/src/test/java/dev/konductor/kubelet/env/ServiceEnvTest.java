package dev.konductor.kubelet.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvTest {

    static Service service(String namespace, String name, String clusterIp, int... ports) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withClusterIP(clusterIp).endSpec();
        for (int i = 0; i < ports.length; i++) {
            b.editSpec().addNewPort().withName(i == 0 ? null : "port-" + i).withPort(ports[i]).withProtocol(i == 2 ? "UDP" : "TCP")
                    .endPort().endSpec();
        }
        return b.build();
    }

    private static final Service KUBERNETES = service("default", "kubernetes", "10.96.0.1", 443);

    @Test
    void givesTheDockerLinkVariablesOfEachPort() {
        Map<String, String> env = ServiceEnv.forPod("shop", true,
                List.of(service("shop", "web-api", "10.96.0.20", 80, 8080, 53)), List.of());

        assertThat(env).containsExactly(
                Map.entry("WEB_API_SERVICE_HOST", "10.96.0.20"),
                Map.entry("WEB_API_SERVICE_PORT", "80"),
                Map.entry("WEB_API_SERVICE_PORT_PORT_1", "8080"),
                Map.entry("WEB_API_SERVICE_PORT_PORT_2", "53"),
                Map.entry("WEB_API_PORT", "tcp://10.96.0.20:80"),
                Map.entry("WEB_API_PORT_80_TCP", "tcp://10.96.0.20:80"),
                Map.entry("WEB_API_PORT_80_TCP_PROTO", "tcp"),
                Map.entry("WEB_API_PORT_80_TCP_PORT", "80"),
                Map.entry("WEB_API_PORT_80_TCP_ADDR", "10.96.0.20"),
                Map.entry("WEB_API_PORT_8080_TCP", "tcp://10.96.0.20:8080"),
                Map.entry("WEB_API_PORT_8080_TCP_PROTO", "tcp"),
                Map.entry("WEB_API_PORT_8080_TCP_PORT", "8080"),
                Map.entry("WEB_API_PORT_8080_TCP_ADDR", "10.96.0.20"),
                Map.entry("WEB_API_PORT_53_UDP", "udp://10.96.0.20:53"),
                Map.entry("WEB_API_PORT_53_UDP_PROTO", "udp"),
                Map.entry("WEB_API_PORT_53_UDP_PORT", "53"),
                Map.entry("WEB_API_PORT_53_UDP_ADDR", "10.96.0.20"));
    }

    @Test
    void theKubernetesServiceIsAlwaysThereOtherNamespacesNever() {
        Map<String, String> env = ServiceEnv.forPod("shop", false,
                List.of(service("shop", "web", "10.96.0.20", 80)), List.of(KUBERNETES, service("default", "other", "10.96.0.9", 1)));

        assertThat(env).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1")
                .containsEntry("KUBERNETES_SERVICE_PORT", "443")
                .containsEntry("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443")
                .doesNotContainKeys("WEB_SERVICE_HOST", "OTHER_SERVICE_HOST");
    }

    @Test
    void servicesWithoutAClusterIpGiveNothing() {
        Map<String, String> env = ServiceEnv.forPod("shop", true,
                List.of(service("shop", "headless", "None", 80), service("shop", "external", "", 80)), List.of());

        assertThat(env).isEmpty();
    }

    @Test
    void aServiceCalledKubernetesInThePodsNamespaceWins() {
        Map<String, String> env = ServiceEnv.forPod("shop", true, List.of(service("shop", "kubernetes", "10.96.0.77", 80)),
                List.of(KUBERNETES));

        assertThat(env).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.77");
    }
}
