package dev.konductor.controllers.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.history.Revisions;
import dev.konductor.controllers.statefulset.StatefulSetPlan.Action;
import dev.konductor.controllers.statefulset.StatefulSetPlan.CreatePod;
import dev.konductor.controllers.statefulset.StatefulSetPlan.DeletePod;
import dev.konductor.controllers.statefulset.StatefulSetPlan.FixClaimOwners;
import dev.konductor.controllers.statefulset.StatefulSetPlan.UpdatePod;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatefulSetPlanTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:10:00Z");
    private static final String OLD = "web-old";
    private static final String NEW = "web-new";

    private final List<Pod> pods = new ArrayList<>();
    private final Map<String, PersistentVolumeClaim> claims = new HashMap<>();

    @Test
    void orderedReadyCreatesOnlyTheFirstMissingOrdinalAndWaitsForReadiness() {
        StatefulSet set = set(3, "OrderedReady", 0);
        assertThat(describe(plan(set))).containsExactly("create web-0@web-new");
        pods.add(pod(0, NEW, "Pending", false));
        assertThat(describe(plan(set))).containsExactly("CreateClaims web-0"); // a pending pod waits for its claim
        claims.put("www-web-0", claim("www-web-0"));
        assertThat(plan(set)).isEmpty();
        pods.set(0, pod(0, NEW, "Running", true));
        assertThat(describe(plan(set))).containsExactly("create web-1@web-new");
    }

    @Test
    void parallelCreatesAllAtOnce() {
        StatefulSet set = set(3, "Parallel", 0);
        assertThat(describe(plan(set))).containsExactly("create web-0@web-new", "create web-1@web-new",
                "create web-2@web-new");
    }

    @Test
    void scaleDownDeletesTheHighestOrdinalFirstAndOnlyWhenAllAreHealthy() {
        StatefulSet set = set(1, "OrderedReady", 0);
        for (int i = 0; i < 3; i++) {
            pods.add(pod(i, NEW, "Running", true));
        }
        assertThat(describe(plan(set))).containsExactly("delete web-2");
        pods.set(2, terminating(pods.get(2)));
        assertThat(plan(set)).isEmpty();
        pods.remove(2);
        pods.set(0, pod(0, NEW, "Running", false));
        assertThat(plan(set)).isEmpty(); // web-0 unready: nothing moves
    }

    @Test
    void parallelScaleDownDeletesEveryCondemnedPod() {
        StatefulSet set = set(1, "Parallel", 0);
        for (int i = 0; i < 3; i++) {
            pods.add(pod(i, NEW, "Running", i != 1));
        }
        assertThat(describe(plan(set))).containsExactly("delete web-2", "delete web-1");
    }

    @Test
    void aFailedPodIsDeletedToBeRecreated() {
        StatefulSet set = set(2, "OrderedReady", 0);
        pods.add(pod(0, NEW, "Failed", false));
        pods.add(pod(1, NEW, "Running", true));
        assertThat(describe(plan(set))).containsExactly("delete web-0");
    }

    @Test
    void rollingUpdateReplacesTheHighestOldOrdinalDownToThePartition() {
        StatefulSet set = set(3, "OrderedReady", 1);
        for (int i = 0; i < 3; i++) {
            pods.add(pod(i, OLD, "Running", true));
        }
        assertThat(describe(plan(set))).containsExactly("delete web-2");
        pods.set(2, pod(2, NEW, "Running", false));
        assertThat(plan(set)).isEmpty(); // waits for web-2
        pods.set(2, pod(2, NEW, "Running", true));
        assertThat(describe(plan(set))).containsExactly("delete web-1");
        pods.set(1, pod(1, NEW, "Running", true));
        assertThat(plan(set)).isEmpty(); // web-0 is below the partition
    }

    @Test
    void belowThePartitionARecreatedPodKeepsTheCurrentRevision() {
        StatefulSet set = set(2, "OrderedReady", 1);
        pods.add(pod(1, NEW, "Running", true));
        assertThat(describe(plan(set))).containsExactly("create web-0@web-old");
    }

    @Test
    void onDeleteNeverDeletesForAnUpdate() {
        StatefulSet set = new StatefulSetBuilder(set(2, "OrderedReady", 0)).editSpec().editUpdateStrategy()
                .withType("OnDelete").withRollingUpdate(null).endUpdateStrategy().endSpec().build();
        pods.add(pod(0, OLD, "Running", true));
        pods.add(pod(1, OLD, "Running", true));
        assertThat(plan(set)).isEmpty();
    }

    @Test
    void brokenIdentityLabelsAreRepaired() {
        StatefulSet set = set(1, "OrderedReady", 0);
        Pod pod = pod(0, NEW, "Running", true);
        pod.getMetadata().getLabels().remove(StatefulPods.POD_INDEX_LABEL);
        pods.add(pod);
        List<Action> actions = plan(set);
        assertThat(actions).singleElement().isInstanceOf(UpdatePod.class);
        assertThat(actions.getFirst().pod().getMetadata().getLabels()).containsEntry(StatefulPods.POD_INDEX_LABEL, "0");
    }

    @Test
    void whenScaledDeleteHandsTheClaimOfACondemnedPodToThatPodBeforeDeletingIt() {
        StatefulSet set = new StatefulSetBuilder(set(1, "OrderedReady", 0)).editSpec()
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenScaled("Delete").withWhenDeleted("Retain")
                .endPersistentVolumeClaimRetentionPolicy().endSpec().build();
        pods.add(pod(0, NEW, "Running", true));
        pods.add(pod(1, NEW, "Running", true));
        claims.put("www-web-0", claim("www-web-0"));
        claims.put("www-web-1", claim("www-web-1"));
        List<Action> actions = plan(set);
        assertThat(actions).hasSize(2);
        assertThat(actions.get(0)).isInstanceOf(FixClaimOwners.class);
        assertThat(actions.get(0).pod().getMetadata().getName()).isEqualTo("web-1");
        assertThat(actions.get(1)).isInstanceOf(DeletePod.class);
        assertThat(ClaimRetention.desiredOwners(set, pods.get(1), claims.get("www-web-1")))
                .singleElement().satisfies(r -> {
                    assertThat(r.getKind()).isEqualTo("Pod");
                    assertThat(r.getName()).isEqualTo("web-1");
                });
        assertThat(ClaimRetention.desiredOwners(set, pods.get(0), claims.get("www-web-0"))).isEmpty();
    }

    @Test
    void aClaimStillOwnedByAnEarlierPodBlocksCreation() {
        StatefulSet set = new StatefulSetBuilder(set(1, "OrderedReady", 0)).editSpec()
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenScaled("Delete").withWhenDeleted("Retain")
                .endPersistentVolumeClaimRetentionPolicy().endSpec().build();
        claims.put("www-web-0", new PersistentVolumeClaimBuilder(claim("www-web-0")).editMetadata()
                .addNewOwnerReference().withKind("Pod").withApiVersion("v1").withName("web-0").withUid("gone")
                .withController(true).endOwnerReference().endMetadata().build());
        assertThat(plan(set)).isEmpty();
    }

    @Test
    void statusCountsPodsByReadinessAndRevisionAndCompletesARollout() {
        StatefulSet set = set(2, "OrderedReady", 0);
        pods.add(pod(0, OLD, "Running", true));
        pods.add(pod(1, NEW, "Running", false));
        StatefulSetStatus status = StatefulSetPlan.status(inputs(set), 0);
        assertThat(status.getReplicas()).isEqualTo(2);
        assertThat(status.getReadyReplicas()).isEqualTo(1);
        assertThat(status.getCurrentReplicas()).isEqualTo(1);
        assertThat(status.getUpdatedReplicas()).isEqualTo(1);
        assertThat(status.getCurrentRevision()).isEqualTo(OLD);
        assertThat(status.getUpdateRevision()).isEqualTo(NEW);

        pods.set(0, pod(0, NEW, "Running", true));
        pods.set(1, pod(1, NEW, "Running", true));
        StatefulSetStatus done = StatefulSetPlan.status(inputs(set), 0);
        assertThat(done.getCurrentRevision()).isEqualTo(NEW);
        assertThat(done.getCurrentReplicas()).isEqualTo(2);
        assertThat(done.getObservedGeneration()).isEqualTo(4L);
    }

    private List<Action> plan(StatefulSet set) {
        return StatefulSetPlan.plan(inputs(set));
    }

    private StatefulSetPlan.Inputs inputs(StatefulSet set) {
        return new StatefulSetPlan.Inputs(set, template("nginx:1"), OLD, template("nginx:2"), NEW, pods,
                name -> Optional.ofNullable(claims.get(name)), NOW);
    }

    private static List<String> describe(List<Action> actions) {
        return actions.stream().map(a -> switch (a) {
            case CreatePod c -> "create " + c.pod().getMetadata().getName() + "@"
                    + c.pod().getMetadata().getLabels().get(Revisions.POD_REVISION_LABEL);
            case DeletePod d -> "delete " + d.pod().getMetadata().getName();
            default -> a.getClass().getSimpleName() + " " + a.pod().getMetadata().getName();
        }).toList();
    }

    private static StatefulSet set(int replicas, String policy, int partition) {
        return new StatefulSetBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("set-uid")
                .withGeneration(4L).endMetadata()
                .withNewSpec().withReplicas(replicas).withPodManagementPolicy(policy).withServiceName("nginx")
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(partition)
                .endRollingUpdate().endUpdateStrategy()
                .withTemplate(template("nginx:2"))
                .addNewVolumeClaimTemplate().withNewMetadata().withName("www").endMetadata().endVolumeClaimTemplate()
                .endSpec().build();
    }

    private static PodTemplateSpec template(String image) {
        return new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder().withNewMetadata()
                .addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage(image).endContainer().endSpec().build();
    }

    private static Pod pod(int ordinal, String revision, String phase, boolean ready) {
        Pod pod = StatefulPods.newPod(set(1, "OrderedReady", 0), template("x"), revision, ordinal);
        return new PodBuilder(pod).editMetadata().withUid("pod-uid-" + ordinal).endMetadata()
                .withNewStatus().withPhase(phase).addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").withLastTransitionTime(NOW.minusSeconds(30).toString())
                .endCondition().endStatus().build();
    }

    private static Pod terminating(Pod pod) {
        return new PodBuilder(pod).editMetadata().withDeletionTimestamp(NOW.toString()).endMetadata().build();
    }

    private static PersistentVolumeClaim claim(String name) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace("default")
                .endMetadata().build();
    }
}
