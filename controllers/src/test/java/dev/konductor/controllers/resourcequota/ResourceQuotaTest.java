package dev.konductor.controllers.resourcequota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.framework.Informers;
import dev.konductor.controllers.serviceaccount.ServiceAccountsController;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Quota end to end: the API server's admission charges and refuses, the controller recalculates. */
class ResourceQuotaTest {

    private static LocalApiServer api;
    private static KubernetesClient client;
    private static Informers informers;
    private static ControllerContext context;
    private static ResourceQuotaController controller;
    /** Every cluster runs it; without a namespace's default account its pods are refused. */
    private static ServiceAccountsController accounts;

    @BeforeAll
    static void start() throws Exception {
        api = LocalApiServer.start();
        client = api.client();
        informers = new Informers(client);
        context = new ControllerContext(client, informers, Clock.systemUTC(), ControllerSettings.defaults());
        controller = new ResourceQuotaController();
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

    private static String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        Await.until("the default service account of " + name,
                () -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
        return name;
    }

    private static void quota(String ns, String name, Map<String, String> hard) {
        ResourceQuotaBuilder b = new ResourceQuotaBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .endMetadata().withNewSpec().endSpec();
        hard.forEach((k, v) -> b.editSpec().addToHard(k, new Quantity(v)).endSpec());
        client.resourceQuotas().inNamespace(ns).resource(b.build()).create();
        Await.until("the controller fills in " + name + "'s status", () -> {
            ResourceQuota q = client.resourceQuotas().inNamespace(ns).withName(name).get();
            return q.getStatus() != null && q.getStatus().getUsed() != null
                    && q.getStatus().getUsed().keySet().equals(hard.keySet());
        });
    }

    private static String used(String ns, String quota, String resource) {
        Quantity q = client.resourceQuotas().inNamespace(ns).withName(quota).get().getStatus().getUsed().get(resource);
        return q == null ? null : q.toString();
    }

    private static Pod pod(String ns, String name, String cpu) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec();
        if (cpu != null) {
            b.editSpec().editFirstContainer().withNewResources().addToRequests("cpu", new Quantity(cpu))
                    .addToLimits("cpu", new Quantity(cpu)).endResources().endContainer().endSpec();
        }
        return client.pods().inNamespace(ns).resource(b.build()).create();
    }

    private static String refusal(Runnable create) {
        try {
            create.run();
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).isEqualTo(403);
            return e.getStatus().getMessage();
        }
        throw new AssertionError("expected a 403");
    }

    @Test
    void refusesThePodBeyondTheQuotaWithUpstreamsMessage() {
        String ns = namespace("quota-pods");
        quota(ns, "q", Map.of("pods", "2"));
        assertThat(used(ns, "q", "pods")).isEqualTo("0");
        pod(ns, "a", null);
        pod(ns, "b", null);
        assertThat(used(ns, "q", "pods")).isEqualTo("2");
        assertThat(refusal(() -> pod(ns, "c", null)))
                .isEqualTo("pods \"c\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2");

        client.pods().inNamespace(ns).withName("a").delete();
        Await.until("the deletion frees quota", () -> "1".equals(used(ns, "q", "pods")));
        pod(ns, "c", null);
        assertThat(used(ns, "q", "pods")).isEqualTo("2");
    }

    @Test
    void aFinishedPodNoLongerCounts() {
        String ns = namespace("quota-finish");
        quota(ns, "q", Map.of("pods", "1"));
        pod(ns, "a", null);
        client.pods().inNamespace(ns).withName("a").editStatus(p -> new PodBuilder(p).editOrNewStatus()
                .withPhase("Succeeded").endStatus().build());
        Await.until("the finished pod is released", () -> "0".equals(used(ns, "q", "pods")));
        pod(ns, "b", null);
    }

    @Test
    void computeQuotasNeedRequestsAndAddThemUp() {
        String ns = namespace("quota-cpu");
        quota(ns, "compute", Map.of("requests.cpu", "1", "limits.cpu", "1"));
        assertThat(refusal(() -> pod(ns, "bare", null))).isEqualTo("pods \"bare\" is forbidden: failed quota: "
                + "compute: must specify limits.cpu for: c; requests.cpu for: c");
        pod(ns, "a", "250m");
        pod(ns, "b", "500m");
        assertThat(used(ns, "compute", "requests.cpu")).isEqualTo("750m");
        assertThat(refusal(() -> pod(ns, "big", "500m"))).isEqualTo("pods \"big\" is forbidden: exceeded quota: "
                + "compute, requested: limits.cpu=500m,requests.cpu=500m, used: limits.cpu=750m,requests.cpu=750m, "
                + "limited: limits.cpu=1,requests.cpu=1");
    }

    @Test
    void objectCountsCoverOtherKinds() {
        String ns = namespace("quota-count");
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("before")
                .endMetadata().build()).create();
        quota(ns, "objects", Map.of("count/configmaps", "2", "configmaps", "2"));
        assertThat(used(ns, "objects", "count/configmaps")).isEqualTo("1");
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("second")
                .endMetadata().build()).create();
        assertThat(refusal(() -> client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("third").endMetadata().build()).create())).isEqualTo("configmaps \"third\" is forbidden: "
                + "exceeded quota: objects, requested: configmaps=1,count/configmaps=1, used: configmaps=2,"
                + "count/configmaps=2, limited: configmaps=2,count/configmaps=2");
    }

    @Test
    void concurrentCreatesNeverOvershoot() throws Exception {
        String ns = namespace("quota-race");
        quota(ns, "q", Map.of("pods", "5"));
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "p" + i;
            results.add(pool.submit(() -> {
                try {
                    pod(ns, name, null);
                    return true;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 403) {
                        throw e;
                    }
                    return false;
                }
            }));
        }
        int admitted = 0;
        for (Future<Boolean> f : results) {
            admitted += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(admitted).isEqualTo(5);
        assertThat(client.pods().inNamespace(ns).list().getItems()).hasSize(5);
        assertThat(used(ns, "q", "pods")).isEqualTo("5");
    }

    @Test
    void dryRunChecksButDoesNotCharge() {
        String ns = namespace("quota-dry");
        quota(ns, "q", Map.of("pods", "1"));
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("x").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build())
                .dryRun().create();
        assertThat(used(ns, "q", "pods")).isEqualTo("0");
    }

    @Test
    void invalidObjectsAreNotCharged() {
        String ns = namespace("quota-invalid");
        quota(ns, "q", Map.of("pods", "1"));
        assertThatThrownBy(() -> client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata()
                .withName("bad").endMetadata().withNewSpec().addNewContainer().withName("c").endContainer().endSpec()
                .build()).create()).isInstanceOf(KubernetesClientException.class);
        assertThat(used(ns, "q", "pods")).isEqualTo("0");
    }
}
