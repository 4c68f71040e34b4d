package dev.konductor.controllers.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.history.Revisions;
import dev.konductor.controllers.testsupport.WorkloadHarness;
import dev.konductor.controllers.testsupport.FakeNodes;
import dev.konductor.testing.Await;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The StatefulSet controller against a real API server; the test plays scheduler and kubelet. */
class StatefulSetControllerTest {

    private static final String NS = "default";

    private WorkloadHarness harness;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        harness = new WorkloadHarness(new StatefulSetController());
        client = harness.client();
        harness.createNode("node-1", Map.of());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void startsPodsInOrderWithStableIdentityAndClaims() {
        client.apps().statefulSets().inNamespace(NS).resource(statefulSet("web", 3, "nginx:1")).create();

        Await.until("web-0 exists", () -> pod("web-0").isPresent());
        Pod web0 = pod("web-0").orElseThrow();
        assertThat(web0.getSpec().getHostname()).isEqualTo("web-0");
        assertThat(web0.getSpec().getSubdomain()).isEqualTo("nginx");
        assertThat(web0.getMetadata().getLabels()).containsEntry("statefulset.kubernetes.io/pod-name", "web-0")
                .containsEntry("apps.kubernetes.io/pod-index", "0").containsKey(Revisions.POD_REVISION_LABEL);
        assertThat(web0.getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("www");
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("www-web-0");
        });
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(NS).withName("www-web-0").get();
        assertThat(claim).isNotNull();
        assertThat(claim.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(claim.getMetadata().getOwnerReferences()).isEmpty();

        // web-1 waits for web-0 to be Running and Ready
        Await.until("status shows one replica", () -> status("web").getReplicas() == 1);
        assertThat(pod("web-1")).isEmpty();
        harness.bind(web0, "node-1");
        harness.markRunningAndReady(web0);
        Await.until("web-1 exists once web-0 is ready", () -> pod("web-1").isPresent());
        assertThat(pod("web-2")).isEmpty();

        try (FakeNodes nodes = new FakeNodes(harness, NS, "node-1")) {
            Await.until("three ready replicas", () -> {
                StatefulSetStatus s = status("web");
                return s.getReadyReplicas() == 3 && s.getAvailableReplicas() == 3 && s.getCurrentReplicas() == 3
                        && s.getUpdatedReplicas() == 3 && s.getObservedGeneration() == 1;
            });
        }
        StatefulSetStatus s = status("web");
        assertThat(s.getCurrentRevision()).isEqualTo(s.getUpdateRevision()).startsWith("web-");
        assertThat(web0.getMetadata().getLabels().get(Revisions.POD_REVISION_LABEL)).isEqualTo(s.getUpdateRevision());
        ControllerRevision revision = client.apps().controllerRevisions().inNamespace(NS)
                .withName(s.getUpdateRevision()).get();
        assertThat(revision.getRevision()).isEqualTo(1L);
        assertThat(revision.getMetadata().getLabels()).containsEntry(Revisions.HASH_LABEL,
                Revisions.hashOf(revision));
        Await.until("create events for pods and claims", () -> messages("SuccessfulCreate").containsAll(List.of(
                "create Pod web-0 in StatefulSet web successful", "create Pod web-2 in StatefulSet web successful",
                "create Claim www-web-0 Pod web-0 in StatefulSet web success",
                "create Claim www-web-2 Pod web-2 in StatefulSet web success")));
    }

    @Test
    void scalesDownFromTheHighestOrdinalOneAtATimeAndKeepsClaims() {
        client.apps().statefulSets().inNamespace(NS).resource(statefulSet("web", 3, "nginx:1")).create();
        try (FakeNodes nodes = new FakeNodes(harness, NS, "node-1")) {
            Await.until("three ready replicas", () -> status("web").getReadyReplicas() == 3);
            nodes.holdBack(p -> true); // terminating pods now stay until the test lets them go
            scale("web", 1);
            Await.until("web-2 terminating", () -> terminating("web-2"));
            assertThat(terminating("web-1")).isFalse();
            harness.deleteNow(pod("web-2").orElseThrow());
            Await.until("then web-1 terminating", () -> terminating("web-1"));
            harness.deleteNow(pod("web-1").orElseThrow());
            Await.until("one replica left", () -> status("web").getReplicas() == 1
                    && harness.pods(NS).size() == 1);
        }
        assertThat(client.persistentVolumeClaims().inNamespace(NS).list().getItems())
                .extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("www-web-0", "www-web-1", "www-web-2");
        Await.until("delete events", () -> messages("SuccessfulDelete").containsAll(List.of(
                "delete Pod web-2 in StatefulSet web successful", "delete Pod web-1 in StatefulSet web successful")));
    }

    @Test
    void parallelPolicyCreatesEveryPodAtOnce() {
        StatefulSet set = edit(statefulSet("db", 3, "db:1"), b -> b.editSpec().withPodManagementPolicy("Parallel")
                .endSpec());
        client.apps().statefulSets().inNamespace(NS).resource(set).create();
        Await.until("all three pods without any being ready", () -> harness.pods(NS).size() == 3);
        assertThat(harness.pods(NS)).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("db-0", "db-1", "db-2");
    }

    @Test
    void rollingUpdateGoesDownFromTheHighestOrdinalAndStopsAtThePartition() {
        StatefulSet set = edit(statefulSet("web", 3, "nginx:1"), b -> b.editSpec().withNewUpdateStrategy()
                .withType("RollingUpdate").withNewRollingUpdate().withPartition(1).endRollingUpdate()
                .endUpdateStrategy().endSpec());
        client.apps().statefulSets().inNamespace(NS).resource(set).create();
        try (FakeNodes nodes = new FakeNodes(harness, NS, "node-1")) {
            Await.until("three ready replicas", () -> status("web").getReadyReplicas() == 3);
            String firstRevision = status("web").getUpdateRevision();
            List<String> updateOrder = new ArrayList<>();
            setImage("web", "nginx:2");
            Await.until("web-2 and web-1 updated", () -> {
                for (Pod p : harness.pods(NS)) {
                    if (image(p).equals("nginx:2") && !updateOrder.contains(p.getMetadata().getName())) {
                        updateOrder.add(p.getMetadata().getName());
                    }
                }
                StatefulSetStatus s = status("web");
                return s.getUpdatedReplicas() == 2 && s.getReadyReplicas() == 3;
            });
            assertThat(updateOrder).containsExactly("web-2", "web-1");
            assertThat(image(pod("web-0").orElseThrow())).isEqualTo("nginx:1");
            StatefulSetStatus partitioned = status("web");
            assertThat(partitioned.getCurrentRevision()).isEqualTo(firstRevision);
            assertThat(partitioned.getUpdateRevision()).isNotEqualTo(firstRevision);
            assertThat(partitioned.getCurrentReplicas()).isEqualTo(1);

            client.apps().statefulSets().inNamespace(NS).withName("web").edit(s -> new StatefulSetBuilder(s)
                    .editSpec().editUpdateStrategy().editRollingUpdate().withPartition(0).endRollingUpdate()
                    .endUpdateStrategy().endSpec().build());
            Await.until("the rollout completes", () -> {
                StatefulSetStatus s = status("web");
                return s.getUpdatedReplicas() == 3 && s.getReadyReplicas() == 3
                        && s.getCurrentRevision().equals(s.getUpdateRevision()) && s.getCurrentReplicas() == 3;
            });
        }
        assertThat(revisions()).extracting(ControllerRevision::getRevision).containsExactly(1L, 2L);
    }

    @Test
    void rollingBackReusesTheOldRevisionWithANewNumber() {
        client.apps().statefulSets().inNamespace(NS).resource(statefulSet("web", 1, "nginx:1")).create();
        try (FakeNodes nodes = new FakeNodes(harness, NS, "node-1")) {
            Await.until("ready", () -> status("web").getReadyReplicas() == 1);
            String first = status("web").getUpdateRevision();
            setImage("web", "nginx:2");
            Await.until("updated", () -> status("web").getUpdatedReplicas() == 1
                    && !status("web").getUpdateRevision().equals(first)
                    && status("web").getCurrentRevision().equals(status("web").getUpdateRevision()));
            setImage("web", "nginx:1");
            Await.until("rolled back to the first revision", () -> first.equals(status("web").getUpdateRevision())
                    && status("web").getCurrentRevision().equals(first)
                    && image(pod("web-0").orElseThrow()).equals("nginx:1"));
        }
        List<ControllerRevision> revisions = revisions();
        assertThat(revisions).extracting(ControllerRevision::getRevision).containsExactly(2L, 3L);
        assertThat(revisions.getLast().getMetadata().getName()).isEqualTo(status("web").getUpdateRevision());
    }

    @Test
    void onDeleteUpdatesOnlyPodsTheUserDeletes() {
        StatefulSet set = edit(statefulSet("web", 2, "nginx:1"), b -> b.editSpec().withNewUpdateStrategy()
                .withType("OnDelete").endUpdateStrategy().endSpec());
        client.apps().statefulSets().inNamespace(NS).resource(set).create();
        try (FakeNodes nodes = new FakeNodes(harness, NS, "node-1")) {
            Await.until("ready", () -> status("web").getReadyReplicas() == 2);
            setImage("web", "nginx:2");
            Await.until("new update revision observed", () -> status("web").getObservedGeneration() == 2
                    && !status("web").getUpdateRevision().equals(status("web").getCurrentRevision()));
            assertThat(harness.pods(NS)).allSatisfy(p -> assertThat(image(p)).isEqualTo("nginx:1"));
            client.pods().inNamespace(NS).withName("web-0").delete();
            Await.until("web-0 comes back on nginx:2", () -> pod("web-0").map(p -> image(p).equals("nginx:2")
                    && p.getMetadata().getDeletionTimestamp() == null).orElse(false)
                    && status("web").getUpdatedReplicas() == 1 && status("web").getReadyReplicas() == 2);
            assertThat(image(pod("web-1").orElseThrow())).isEqualTo("nginx:1");
        }
    }

    @Test
    void retentionPolicyOwnsClaimsBySetAndByScaledDownPods() {
        StatefulSet set = edit(statefulSet("web", 2, "nginx:1"), b -> b.editSpec()
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenDeleted("Delete").withWhenScaled("Delete")
                .endPersistentVolumeClaimRetentionPolicy().endSpec());
        client.apps().statefulSets().inNamespace(NS).resource(set).create();
        try (FakeNodes nodes = new FakeNodes(harness, NS, "node-1")) {
            Await.until("ready", () -> status("web").getReadyReplicas() == 2);
            assertThat(claimOwners("www-web-0")).extracting(OwnerReference::getKind).containsExactly("StatefulSet");
            assertThat(claimOwners("www-web-1")).extracting(OwnerReference::getKind).containsExactly("StatefulSet");
            nodes.holdBack(p -> true);
            String web1Uid = pod("web-1").orElseThrow().getMetadata().getUid();
            scale("web", 1);
            Await.until("the scaled-down pod owns its claim", () -> claimOwners("www-web-1").stream()
                    .anyMatch(r -> r.getKind().equals("Pod") && r.getUid().equals(web1Uid)));
            assertThat(claimOwners("www-web-1")).extracting(OwnerReference::getKind).containsExactly("Pod");
            assertThat(claimOwners("www-web-0")).extracting(OwnerReference::getKind).containsExactly("StatefulSet");
            Await.until("web-1 terminating", () -> terminating("web-1"));
        }
    }

    @Test
    void adoptsOrphanedPodsOfItsOwn() {
        // what `kubectl delete sts web --cascade=orphan` leaves behind
        client.pods().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("web-0").addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer()
                .withName("main").withImage("nginx:1").endContainer().endSpec().build()).create();
        client.pods().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("other-0").addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer()
                .withName("main").withImage("nginx:1").endContainer().endSpec().build()).create();
        StatefulSet created = client.apps().statefulSets().inNamespace(NS)
                .resource(statefulSet("web", 1, "nginx:1")).create();
        Await.until("web-0 adopted", () -> pod("web-0").map(p -> p.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> r.getUid().equals(created.getMetadata().getUid()))).orElse(false));
        assertThat(pod("other-0").orElseThrow().getMetadata().getOwnerReferences()).isEmpty();
    }

    private List<OwnerReference> claimOwners(String name) {
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(NS).withName(name).get();
        return claim.getMetadata().getOwnerReferences();
    }

    private List<ControllerRevision> revisions() {
        return client.apps().controllerRevisions().inNamespace(NS).list().getItems().stream()
                .sorted(Comparator.comparing(ControllerRevision::getRevision)).toList();
    }

    private List<String> messages(String reason) {
        return harness.events(NS, reason).stream().map(Event::getMessage).toList();
    }

    private boolean terminating(String name) {
        return pod(name).map(p -> p.getMetadata().getDeletionTimestamp() != null).orElse(false);
    }

    private Optional<Pod> pod(String name) {
        return Optional.ofNullable(client.pods().inNamespace(NS).withName(name).get());
    }

    private static String image(Pod pod) {
        return pod.getSpec().getContainers().getFirst().getImage();
    }

    private StatefulSetStatus status(String name) {
        return client.apps().statefulSets().inNamespace(NS).withName(name).get().getStatus();
    }

    private void scale(String name, int replicas) {
        client.apps().statefulSets().inNamespace(NS).withName(name).edit(s -> new StatefulSetBuilder(s).editSpec()
                .withReplicas(replicas).endSpec().build());
    }

    private void setImage(String name, String image) {
        client.apps().statefulSets().inNamespace(NS).withName(name).edit(s -> new StatefulSetBuilder(s).editSpec()
                .editTemplate().editSpec().editFirstContainer().withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build());
    }

    private static StatefulSet edit(StatefulSet set, UnaryOperator<StatefulSetBuilder> change) {
        return change.apply(new StatefulSetBuilder(set)).build();
    }

    static StatefulSet statefulSet(String name, int replicas, String image) {
        return new StatefulSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName("nginx")
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage(image)
                .addNewVolumeMount().withName("www").withMountPath("/data").endVolumeMount()
                .endContainer().endSpec().endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("www").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
                .endVolumeClaimTemplate()
                .endSpec().build();
    }
}
