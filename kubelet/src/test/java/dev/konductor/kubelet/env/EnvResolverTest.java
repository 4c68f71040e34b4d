package dev.konductor.kubelet.env;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.objects.FakeObjectSource;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvResolverTest {

    private final FakeObjectSource objects = new FakeObjectSource()
            .put(ServiceEnvTest.service("default", "kubernetes", "10.96.0.1", 443))
            .put(new ConfigMapBuilder().withNewMetadata().withNamespace("shop").withName("settings").endMetadata()
                    .addToData("LEVEL", "debug").addToData("1bad", "x").addToData("has space", "y").build())
            .put(new SecretBuilder().withNewMetadata().withNamespace("shop").withName("db").endMetadata()
                    .addToData("password", b64("s3cret")).build())
            .allocatable(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi")));
    private final EnvResolver resolver = new EnvResolver(objects, List.of("192.168.1.10"));

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Pod pod(Container container) {
        return new PodBuilder().withNewMetadata().withNamespace("shop").withName("web").withUid("uid-1")
                .addToLabels("app", "web").addToAnnotations("team", "a \"quoted\" name").endMetadata()
                .withNewSpec().withNodeName("node-1").withServiceAccountName("builder").withEnableServiceLinks(true)
                .withContainers(container).endSpec().build();
    }

    private EnvResolver.Result resolve(ContainerBuilder container) {
        Container c = container.withName("app").withImage("busybox").build();
        return resolver.resolve(pod(c), c, List.of("10.244.0.5"));
    }

    private Map<String, String> env(ContainerBuilder container) {
        EnvResolver.Result result = resolve(container);
        assertThat(result).isInstanceOf(EnvResolver.Resolved.class);
        return ((EnvResolver.Resolved) result).env();
    }

    @Test
    void valuesExpandEarlierVariablesAndServiceVariables() {
        Map<String, String> env = env(new ContainerBuilder()
                .addNewEnv().withName("HOST").withValue("$(KUBERNETES_SERVICE_HOST)").endEnv()
                .addNewEnv().withName("URL").withValue("https://$(HOST):$(KUBERNETES_SERVICE_PORT)/$(LATER)").endEnv()
                .addNewEnv().withName("LATER").withValue("x").endEnv()
                .addNewEnv().withName("PRICE").withValue("$$5").endEnv());

        assertThat(env).containsEntry("HOST", "10.96.0.1").containsEntry("URL", "https://10.96.0.1:443/$(LATER)")
                .containsEntry("PRICE", "$5").containsEntry("KUBERNETES_PORT", "tcp://10.96.0.1:443");
    }

    @Test
    void fieldRefsGiveThePodsOwnFacts() {
        ContainerBuilder c = new ContainerBuilder();
        Map<String, String> paths = Map.of("NAME", "metadata.name", "NS", "metadata.namespace", "UID", "metadata.uid",
                "APP", "metadata.labels['app']", "TEAM", "metadata.annotations['team']", "NODE", "spec.nodeName",
                "SA", "spec.serviceAccountName", "HOST_IP", "status.hostIP", "POD_IP", "status.podIP", "POD_IPS", "status.podIPs");
        paths.forEach((name, path) -> c.addNewEnv().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path)
                .endFieldRef().endValueFrom().endEnv());

        assertThat(env(c)).containsEntry("NAME", "web").containsEntry("NS", "shop").containsEntry("UID", "uid-1")
                .containsEntry("APP", "web").containsEntry("TEAM", "a \"quoted\" name").containsEntry("NODE", "node-1")
                .containsEntry("SA", "builder").containsEntry("HOST_IP", "192.168.1.10").containsEntry("POD_IP", "10.244.0.5")
                .containsEntry("POD_IPS", "10.244.0.5");
    }

    @Test
    void resourceFieldRefsDivideAndFallBackToTheNodeForMissingLimits() {
        Map<String, String> env = env(new ContainerBuilder()
                .withNewResources().addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("64Mi"))
                .addToLimits("memory", new Quantity("128Mi")).endResources()
                .addNewEnv().withName("CPU_REQ").withNewValueFrom().withNewResourceFieldRef().withResource("requests.cpu")
                .withDivisor(new Quantity("1m")).endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("CPU_REQ_CORES").withNewValueFrom().withNewResourceFieldRef().withResource("requests.cpu")
                .endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("MEM_LIMIT").withNewValueFrom().withNewResourceFieldRef().withResource("limits.memory")
                .withDivisor(new Quantity("1Mi")).endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("CPU_LIMIT").withNewValueFrom().withNewResourceFieldRef().withResource("limits.cpu")
                .withDivisor(new Quantity("0")).endResourceFieldRef().endValueFrom().endEnv());

        assertThat(env).containsEntry("CPU_REQ", "250").containsEntry("CPU_REQ_CORES", "1")
                .containsEntry("MEM_LIMIT", "128").containsEntry("CPU_LIMIT", "4");
    }

    @Test
    void envFromTakesPrefixedKeysSkipsInvalidOnesAndEnvOverrides() {
        EnvResolver.Result result = resolve(new ContainerBuilder()
                .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef().withName("settings").endConfigMapRef().endEnvFrom()
                .addNewEnvFrom().withNewSecretRef().withName("db").endSecretRef().endEnvFrom()
                .addNewEnv().withName("password").withValue("overridden").endEnv());

        EnvResolver.Resolved resolved = (EnvResolver.Resolved) result;
        assertThat(resolved.env()).containsEntry("CFG_LEVEL", "debug").containsEntry("CFG_1bad", "x")
                .containsEntry("password", "overridden").doesNotContainKey("CFG_has space");
        assertThat(resolved.warnings()).containsExactly(new EnvResolver.Warning("InvalidEnvironmentVariableNames",
                "Keys [CFG_has space] from the EnvFrom configMap shop/settings were skipped since they are considered invalid"
                        + " environment variable names."));
    }

    @Test
    void keyRefsReadConfigMapsAndSecrets() {
        Map<String, String> env = env(new ContainerBuilder()
                .addNewEnv().withName("LEVEL").withNewValueFrom().withNewConfigMapKeyRef("LEVEL", "settings", false)
                .endValueFrom().endEnv()
                .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "db", false)
                .endValueFrom().endEnv()
                .addNewEnv().withName("MAYBE").withNewValueFrom().withNewConfigMapKeyRef("nope", "settings", true)
                .endValueFrom().endEnv()
                .addNewEnv().withName("ABSENT").withNewValueFrom().withNewSecretKeyRef("k", "no-such-secret", true)
                .endValueFrom().endEnv());

        assertThat(env).containsEntry("LEVEL", "debug").containsEntry("PASSWORD", "s3cret").doesNotContainKeys("MAYBE", "ABSENT");
    }

    @Test
    void missingObjectsAndKeysFailWithUpstreamsMessages() {
        assertThat(resolve(new ContainerBuilder().addNewEnv().withName("X").withNewValueFrom()
                .withNewConfigMapKeyRef("k", "absent", false).endValueFrom().endEnv()))
                .isEqualTo(new EnvResolver.Failed("configmap \"absent\" not found"));
        assertThat(resolve(new ContainerBuilder().addNewEnv().withName("X").withNewValueFrom()
                .withNewConfigMapKeyRef("k", "settings", null).endValueFrom().endEnv()))
                .isEqualTo(new EnvResolver.Failed("couldn't find key k in ConfigMap shop/settings"));
        assertThat(resolve(new ContainerBuilder().addNewEnv().withName("X").withNewValueFrom()
                .withNewSecretKeyRef("k", "db", false).endValueFrom().endEnv()))
                .isEqualTo(new EnvResolver.Failed("couldn't find key k in Secret shop/db"));
        assertThat(resolve(new ContainerBuilder().addNewEnvFrom().withNewSecretRef().withName("gone").endSecretRef().endEnvFrom()))
                .isEqualTo(new EnvResolver.Failed("secret \"gone\" not found"));
        assertThat(resolve(new ContainerBuilder().addNewEnvFrom().withNewConfigMapRef().withName("gone").withOptional(true)
                .endConfigMapRef().endEnvFrom())).isInstanceOf(EnvResolver.Resolved.class);
    }

    @Test
    void waitsForTheServicesToBeRead() {
        objects.servicesSynced(false);

        assertThat(resolve(new ContainerBuilder())).isEqualTo(
                new EnvResolver.Failed("services have not yet been read at least once, cannot construct envvars"));
    }

    @Test
    void serviceLinksCanBeTurnedOff() {
        objects.put(ServiceEnvTest.service("shop", "cart", "10.96.0.30", 80));
        Container c = new ContainerBuilder().withName("app").withImage("busybox").build();
        Pod pod = new PodBuilder(pod(c)).editSpec().withEnableServiceLinks(false).endSpec().build();

        Map<String, String> env = ((EnvResolver.Resolved) resolver.resolve(pod, c, List.of())).env();

        assertThat(env).containsKey("KUBERNETES_SERVICE_HOST").doesNotContainKey("CART_SERVICE_HOST");
    }
}
