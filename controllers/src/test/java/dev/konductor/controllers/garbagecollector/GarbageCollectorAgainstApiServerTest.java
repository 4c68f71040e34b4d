package dev.konductor.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.ApiDiscovery;
import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.framework.Informers;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The garbage collector end to end against a real API server: owners deleted with each policy. */
class GarbageCollectorAgainstApiServerTest {

    private static LocalApiServer api;
    private static KubernetesClient client;
    private static Informers informers;
    private static ControllerContext context;
    private static GarbageCollector gc;

    @BeforeAll
    static void start() throws Exception {
        api = LocalApiServer.start();
        client = api.client();
        informers = new Informers(client);
        context = new ControllerContext(client, informers, Clock.systemUTC(), ControllerSettings.defaults());
        gc = new GarbageCollector(Duration.ofSeconds(1));
        gc.start(context);
        informers.startAll(10_000);
        Await.until("the collector monitors pods, replicasets and configmaps", () -> gc.monitored()
                .containsAll(List.of("pods.", "replicasets.apps", "deployments.apps", "configmaps.")));
        Await.until(Duration.ofSeconds(60), "every monitor has listed", gc::synced);
    }

    @AfterAll
    static void stop() {
        gc.close();
        context.close();
        informers.close();
        api.close();
    }

    @Test
    void deletingADeploymentInTheBackgroundTakesItsReplicaSetsAndTheirPods() {
        Deployment web = client.apps().deployments().inNamespace("default").resource(deployment("web")).create();
        ReplicaSet rs = client.apps().replicaSets().inNamespace("default")
                .resource(replicaSet("web-1", controllerRef(web))).create();
        Pod a = client.pods().inNamespace("default").resource(pod("web-1-a", controllerRef(rs))).create();
        Pod b = client.pods().inNamespace("default").resource(pod("web-1-b", controllerRef(rs))).create();

        client.apps().deployments().inNamespace("default").withName("web")
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();

        Await.until("the ReplicaSet and its pods are collected", () ->
                client.apps().replicaSets().inNamespace("default").withName("web-1").get() == null
                        && client.pods().inNamespace("default").withName(a.getMetadata().getName()).get() == null
                        && client.pods().inNamespace("default").withName(b.getMetadata().getName()).get() == null);
    }

    @Test
    void aReferenceWhoseUidNoLongerMatchesCountsAsGone() {
        ConfigMap owner = client.configMaps().inNamespace("default").resource(configMap("reborn", List.of())).create();
        OwnerReference stale = new OwnerReferenceBuilder(ref(owner)).withUid("00000000-dead-beef-0000-000000000000")
                .build();
        client.configMaps().inNamespace("default").resource(configMap("orphan-by-uid", List.of(stale))).create();

        Await.until("the dependent of a vanished uid is deleted", () ->
                client.configMaps().inNamespace("default").withName("orphan-by-uid").get() == null);
        assertThat(client.configMaps().inNamespace("default").withName("reborn").get()).isNotNull();
    }

    @Test
    void aDependentWithALiveOwnerLosesOnlyTheReferenceToTheDeletedOne() {
        ConfigMap keep = client.configMaps().inNamespace("default").resource(configMap("keeper", List.of())).create();
        ConfigMap gone = client.configMaps().inNamespace("default").resource(configMap("goner", List.of())).create();
        client.configMaps().inNamespace("default").resource(configMap("shared", List.of(ref(keep), ref(gone))))
                .create();

        client.configMaps().inNamespace("default").withName("goner").delete();

        Await.until("the reference to the deleted owner is dropped", () -> {
            ConfigMap shared = client.configMaps().inNamespace("default").withName("shared").get();
            return shared != null && shared.getMetadata().getOwnerReferences().size() == 1
                    && shared.getMetadata().getOwnerReferences().get(0).getName().equals("keeper");
        });
    }

    @Test
    void foregroundDeletionWaitsForBlockingDependents() {
        ReplicaSet rs = client.apps().replicaSets().inNamespace("default")
                .resource(replicaSet("fg", null)).create();
        client.pods().inNamespace("default").resource(pod("fg-a", controllerRef(rs))).create();
        Pod held = new PodBuilder(pod("fg-held", controllerRef(rs))).editMetadata()
                .addToFinalizers("example.com/hold").endMetadata().build();
        client.pods().inNamespace("default").resource(held).create();

        client.apps().replicaSets().inNamespace("default").withName("fg")
                .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

        Await.until("the free pod goes and the held one is being deleted", () ->
                client.pods().inNamespace("default").withName("fg-a").get() == null
                        && client.pods().inNamespace("default").withName("fg-held").get().getMetadata()
                        .getDeletionTimestamp() != null);
        ReplicaSet waiting = client.apps().replicaSets().inNamespace("default").withName("fg").get();
        assertThat(waiting).as("the owner waits for its blocking dependent").isNotNull();
        assertThat(waiting.getMetadata().getFinalizers()).contains("foregroundDeletion");

        client.pods().inNamespace("default").withName("fg-held").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":null}}");

        Await.until("the owner goes once its dependents are gone", () ->
                client.apps().replicaSets().inNamespace("default").withName("fg").get() == null);
    }

    @Test
    void foregroundDeletionDoesNotWaitForNonBlockingDependents() {
        ConfigMap owner = client.configMaps().inNamespace("default").resource(configMap("fg-owner", List.of()))
                .create();
        ConfigMap loose = new ConfigMapBuilder(configMap("fg-loose", List.of(new OwnerReferenceBuilder(ref(owner))
                .withBlockOwnerDeletion(false).build()))).editMetadata().addToFinalizers("example.com/hold")
                .endMetadata().build();
        client.configMaps().inNamespace("default").resource(loose).create();

        client.configMaps().inNamespace("default").withName("fg-owner")
                .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

        Await.until("the owner goes without waiting", () ->
                client.configMaps().inNamespace("default").withName("fg-owner").get() == null);
        Await.until("its dependent is being deleted", () -> client.configMaps().inNamespace("default")
                .withName("fg-loose").get().getMetadata().getDeletionTimestamp() != null);
        client.configMaps().inNamespace("default").withName("fg-loose").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":null}}");
    }

    @Test
    void orphaningStripsTheOwnersReferencesAndKeepsTheDependents() {
        ReplicaSet rs = client.apps().replicaSets().inNamespace("default").resource(replicaSet("orph", null)).create();
        client.pods().inNamespace("default").resource(pod("orph-a", controllerRef(rs))).create();
        client.pods().inNamespace("default").resource(pod("orph-b", controllerRef(rs))).create();

        client.apps().replicaSets().inNamespace("default").withName("orph")
                .withPropagationPolicy(DeletionPropagation.ORPHAN).delete();

        Await.until("the ReplicaSet goes", () ->
                client.apps().replicaSets().inNamespace("default").withName("orph").get() == null);
        for (String name : List.of("orph-a", "orph-b")) {
            Pod pod = client.pods().inNamespace("default").withName(name).get();
            assertThat(pod).as(name + " survives").isNotNull();
            assertThat(pod.getMetadata().getOwnerReferences()).as(name + " owner references").isNullOrEmpty();
        }
    }

    @Test
    void clusterScopedOwnersCollectNamespacedDependents() {
        var ns = client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("gc-owner-ns").endMetadata().build()).create();
        client.configMaps().inNamespace("default").resource(configMap("owned-by-ns", List.of(ref(ns)))).create();
        // no namespace controller here: remove the namespace's finalizer by hand
        client.namespaces().withName("gc-owner-ns").delete();
        client.raw("/api/v1/namespaces/gc-owner-ns/finalize", "PUT",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"gc-owner-ns\"},"
                        + "\"spec\":{\"finalizers\":[]}}");

        Await.until("the dependent of the namespace is collected", () ->
                client.configMaps().inNamespace("default").withName("owned-by-ns").get() == null);
    }

    @Test
    void monitorsFollowDiscoveryAsResourceTypesComeAndGo() {
        ApiResource configMaps = new ApiResource("", "v1", "configmaps", "ConfigMap", true,
                Set.of("list", "watch", "delete", "get"));
        ApiResource secrets = new ApiResource("", "v1", "secrets", "Secret", true, Set.of("list", "watch", "delete"));
        ApiResource events = new ApiResource("", "v1", "events", "Event", true, Set.of("list", "watch", "delete"));
        ApiResource bindings = new ApiResource("", "v1", "bindings", "Binding", true, Set.of("create"));
        List<String> added = new CopyOnWriteArrayList<>();
        try (Monitors monitors = new Monitors(client, new Monitors.Listener() {
            @Override
            public void added(ApiResource resource, GenericKubernetesResource obj) {
                added.add(resource.plural() + "/" + obj.getMetadata().getName());
            }

            @Override
            public void updated(ApiResource resource, GenericKubernetesResource old, GenericKubernetesResource obj) {
            }

            @Override
            public void deleted(ApiResource resource, GenericKubernetesResource obj) {
            }
        })) {
            monitors.sync(new ApiDiscovery.Result(List.of(configMaps, events, bindings), Map.of()));
            assertThat(monitors.monitored()).as("events are ignored, bindings cannot be watched")
                    .containsExactly("configmaps.");

            client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata()
                    .withName("appears-later").endMetadata().build()).create();
            monitors.sync(new ApiDiscovery.Result(List.of(configMaps, secrets), Map.of()));
            assertThat(monitors.monitored()).containsExactlyInAnyOrder("configmaps.", "secrets.");
            Await.until("the new type's objects are seen", () -> added.contains("secrets/appears-later"));
            assertThat(monitors.resourceForKind("v1", "Secret")).contains(secrets);

            monitors.sync(new ApiDiscovery.Result(List.of(), Map.of("v1", "the server is unavailable")));
            assertThat(monitors.monitored()).as("a group that failed discovery keeps its monitors")
                    .containsExactlyInAnyOrder("configmaps.", "secrets.");

            monitors.sync(new ApiDiscovery.Result(List.of(configMaps), Map.of()));
            assertThat(monitors.monitored()).as("a type no longer served loses its monitor")
                    .containsExactly("configmaps.");
            assertThat(monitors.resourceForKind("v1", "Secret")).isEmpty();
        }
    }

    static OwnerReference ref(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).build();
    }

    static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder(ref(owner)).withController(true).withBlockOwnerDeletion(true).build();
    }

    static ConfigMap configMap(String name, List<OwnerReference> owners) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withOwnerReferences(owners).endMetadata()
                .addToData("k", "v").build();
    }

    static Pod pod(String name, OwnerReference owner) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("app", "x").withOwnerReferences(owner)
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer()
                .endSpec().build();
    }

    static Deployment deployment(String name) {
        return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withNewSelector().addToMatchLabels("app", "x").endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", "x").endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("nginx").endContainer().endSpec().endTemplate().endSpec().build();
    }

    static ReplicaSet replicaSet(String name, OwnerReference owner) {
        var meta = new ReplicaSetBuilder().withNewMetadata().withName(name);
        if (owner != null) {
            meta.withOwnerReferences(owner);
        }
        return meta.endMetadata().withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", "x")
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "x").endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().endTemplate().endSpec()
                .build();
    }
}
