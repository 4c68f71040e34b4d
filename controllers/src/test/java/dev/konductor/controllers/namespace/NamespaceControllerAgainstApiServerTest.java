package dev.konductor.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.framework.Informers;
import dev.konductor.controllers.serviceaccount.ServiceAccountsController;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Namespace termination end to end against a real API server. */
class NamespaceControllerAgainstApiServerTest {

    /**
     * Each pass of the controller deletes and lists every namespaced resource type, about a
     * hundred requests: 10 to 20 s on a loaded 2-core machine, and an outcome may need two or three.
     */
    private static final Duration PASSES = Duration.ofMinutes(2);

    private static LocalApiServer api;
    private static KubernetesClient client;
    private static Informers informers;
    private static ControllerContext context;
    private static NamespaceController controller;
    /** Every cluster runs it; without a namespace's default account its pods are refused. */
    private static ServiceAccountsController accounts;

    @BeforeAll
    static void start() throws Exception {
        api = LocalApiServer.start();
        client = api.client();
        informers = new Informers(client);
        context = new ControllerContext(client, informers, Clock.systemUTC(), ControllerSettings.defaults());
        controller = new NamespaceController();
        controller.start(context);
        accounts = new ServiceAccountsController();
        accounts.start(context);
        informers.startAll(10_000);
    }

    @AfterAll
    static void stop() {
        controller.close();
        accounts.close();
        context.close();
        informers.close();
        api.close();
    }

    @Test
    void deletingANamespaceDeletesItsContentAndThenTheNamespace() {
        createNamespace("doomed");
        client.configMaps().inNamespace("doomed").resource(new ConfigMapBuilder().withNewMetadata().withName("cm")
                .endMetadata().addToData("a", "b").build()).create();
        client.secrets().inNamespace("doomed").resource(new SecretBuilder().withNewMetadata().withName("s")
                .endMetadata().addToStringData("a", "b").build()).create();
        client.services().inNamespace("doomed").resource(new ServiceBuilder().withNewMetadata().withName("svc")
                .endMetadata().withNewSpec().addNewPort().withPort(80).endPort().addToSelector("app", "x").endSpec()
                .build()).create();
        client.pods().inNamespace("doomed").resource(pod("p", null)).create();
        client.apps().deployments().inNamespace("doomed").resource(new DeploymentBuilder().withNewMetadata()
                .withName("web").endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "x")
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "x").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();

        client.namespaces().withName("doomed").delete();

        Await.until(PASSES, "the namespace disappears", () -> client.namespaces().withName("doomed").get() == null);
        assertThat(client.configMaps().inNamespace("doomed").list().getItems()).isEmpty();
        assertThat(client.pods().inNamespace("doomed").list().getItems()).isEmpty();
        assertThat(client.apps().deployments().inNamespace("doomed").list().getItems()).isEmpty();
        assertThat(client.services().inNamespace("doomed").list().getItems()).isEmpty();
        assertThat(client.secrets().inNamespace("doomed").list().getItems()).isEmpty();
    }

    @Test
    void contentWithFinalizersKeepsTheNamespaceTerminatingWithUpstreamsConditions() {
        createNamespace("held");
        client.configMaps().inNamespace("held").resource(new ConfigMapBuilder().withNewMetadata().withName("cm")
                .addToFinalizers("example.com/hold").endMetadata().build()).create();

        client.namespaces().withName("held").delete();

        Await.until(PASSES, "the conditions report the finalizer", () -> {
            Map<String, NamespaceCondition> c = conditions("held");
            return c.containsKey("NamespaceFinalizersRemaining")
                    && "True".equals(c.get("NamespaceFinalizersRemaining").getStatus());
        });
        Namespace held = client.namespaces().withName("held").get();
        assertThat(held.getStatus().getPhase()).isEqualTo("Terminating");
        Map<String, NamespaceCondition> c = conditions("held");
        assertThat(c.keySet()).containsExactly("NamespaceDeletionDiscoveryFailure",
                "NamespaceDeletionGroupVersionParsingFailure", "NamespaceDeletionContentFailure",
                "NamespaceContentRemaining", "NamespaceFinalizersRemaining");
        assertThat(c.get("NamespaceDeletionDiscoveryFailure").getReason()).isEqualTo("ResourcesDiscovered");
        assertThat(c.get("NamespaceDeletionContentFailure").getStatus()).isEqualTo("False");
        assertThat(c.get("NamespaceContentRemaining").getReason()).isEqualTo("SomeResourcesRemain");
        assertThat(c.get("NamespaceContentRemaining").getMessage())
                .isEqualTo("Some resources are remaining: configmaps. has 1 resource instances");
        assertThat(c.get("NamespaceFinalizersRemaining").getMessage())
                .isEqualTo("Some content in the namespace has finalizers remaining: example.com/hold in 1 resource "
                        + "instances");
        assertThat(held.getSpec().getFinalizers()).containsExactly("kubernetes");

        client.configMaps().inNamespace("held").withName("cm").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":null}}");

        Await.until(PASSES, "the namespace goes once its content has", () ->
                client.namespaces().withName("held").get() == null);
    }

    @Test
    void podsInTheirGracePeriodAreWaitedFor() {
        createNamespace("graceful");
        // bound to a node that has no kubelet here: its deletion waits for the grace period
        client.pods().inNamespace("graceful").resource(pod("bound", "node-without-kubelet")).create();

        client.namespaces().withName("graceful").delete();

        Await.until(PASSES, "the pod is being deleted gracefully", () -> client.pods().inNamespace("graceful")
                .withName("bound").get().getMetadata().getDeletionTimestamp() != null);
        Await.until(PASSES, "the conditions say the pod remains", () -> conditions("graceful")
                .getOrDefault("NamespaceContentRemaining", new NamespaceCondition()).getMessage() != null
                && conditions("graceful").get("NamespaceContentRemaining").getMessage()
                .equals("Some resources are remaining: pods. has 1 resource instances"));
        assertThat(client.namespaces().withName("graceful").get()).isNotNull();

        // what the kubelet does once the containers stopped
        client.pods().inNamespace("graceful").withName("bound").withGracePeriod(0).delete();

        Await.until(PASSES, "the namespace goes after its pod",
                () -> client.namespaces().withName("graceful").get() == null);
    }

    private static void createNamespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        Await.until("the default service account of " + name,
                () -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
    }

    private static Map<String, NamespaceCondition> conditions(String name) {
        Namespace ns = client.namespaces().withName(name).get();
        if (ns == null || ns.getStatus() == null || ns.getStatus().getConditions() == null) {
            return Map.of();
        }
        return ns.getStatus().getConditions().stream().collect(Collectors.toMap(NamespaceCondition::getType,
                c -> c, (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private static io.fabric8.kubernetes.api.model.Pod pod(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withNodeName(node)
                .addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build();
    }
}
