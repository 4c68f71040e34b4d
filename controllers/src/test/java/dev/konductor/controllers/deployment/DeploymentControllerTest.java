package dev.konductor.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.replicaset.ReplicaSetController;
import dev.konductor.controllers.testsupport.ControllerHarness;
import dev.konductor.testing.Await;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Deployment controller (with the ReplicaSet controller) against a real API server. */
class DeploymentControllerTest {

    private static ControllerHarness cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = new ControllerHarness(() -> List.of(new ReplicaSetController(), new DeploymentController()));
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static Deployment deployment(String name, int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("busybox").withImage("busybox").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private Deployment get(String ns, String name) {
        return client.apps().deployments().inNamespace(ns).withName(name).get();
    }

    private List<ReplicaSet> replicaSets(String ns) {
        return client.apps().replicaSets().inNamespace(ns).list().getItems().stream()
                .sorted(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp())).toList();
    }

    private Optional<ReplicaSet> replicaSetWithRevision(String ns, String revision) {
        return replicaSets(ns).stream()
                .filter(rs -> revision.equals(rs.getMetadata().getAnnotations().get(RevisionAnnotations.REVISION)))
                .findFirst();
    }

    /** What {@code kubectl rollout status} checks before it says "successfully rolled out". */
    static boolean rolledOut(Deployment d) {
        DeploymentStatus s = d.getStatus();
        if (s == null || s.getObservedGeneration() == null || d.getMetadata().getGeneration() > s.getObservedGeneration()) {
            return false;
        }
        int replicas = d.getSpec().getReplicas();
        return orZero(s.getUpdatedReplicas()) == replicas && orZero(s.getReplicas()) == orZero(s.getUpdatedReplicas())
                && orZero(s.getAvailableReplicas()) == orZero(s.getUpdatedReplicas());
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    private static DeploymentCondition condition(Deployment d, String type) {
        return d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    private void setImage(String ns, String name, String image, String changeCause) {
        client.apps().deployments().inNamespace(ns).withName(name).edit(d -> {
            Deployment copy = new DeploymentBuilder(d).build();
            copy.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage(image);
            if (changeCause != null) {
                copy.getMetadata().getAnnotations().put("kubernetes.io/change-cause", changeCause);
            }
            return copy;
        });
    }

    private List<String> messages(String ns, String reason) {
        return cluster.events(ns, reason).stream().map(Event::getMessage).toList();
    }

    @Test
    void rollsOutANewDeploymentAndReportsWhatRolloutStatusReads() {
        String ns = cluster.namespace("deploy-create");
        cluster.runPods(ns, p -> true);
        Deployment created = deployment("web", 3);
        created.getMetadata().setAnnotations(Map.of("kubernetes.io/change-cause", "kubectl create deploy web"));
        client.apps().deployments().inNamespace(ns).resource(created).create();

        Await.until("rolled out", () -> rolledOut(get(ns, "web")) && condition(get(ns, "web"), "Progressing")
                .getReason().equals("NewReplicaSetAvailable"));

        ReplicaSet rs = replicaSets(ns).getFirst();
        String hash = rs.getMetadata().getLabels().get("pod-template-hash");
        assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]{6,10}");
        assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry("app", "web").containsEntry("pod-template-hash", hash);
        assertThat(rs.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("pod-template-hash", hash);
        assertThat(rs.getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "1")
                .containsEntry("deployment.kubernetes.io/desired-replicas", "3")
                .containsEntry("deployment.kubernetes.io/max-replicas", "4")
                .containsEntry("kubernetes.io/change-cause", "kubectl create deploy web");
        assertThat(rs.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(r -> assertThat(r.getKind()).isEqualTo("Deployment"));
        assertThat(cluster.livePods(ns)).hasSize(3).allSatisfy(p ->
                assertThat(p.getMetadata().getLabels()).containsEntry("pod-template-hash", hash));

        Deployment d = get(ns, "web");
        assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
        assertThat(d.getStatus().getReplicas()).isEqualTo(3);
        assertThat(d.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(d.getStatus().getUnavailableReplicas()).isNull();
        assertThat(condition(d, "Available")).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("MinimumReplicasAvailable");
            assertThat(c.getMessage()).isEqualTo("Deployment has minimum availability.");
        });
        assertThat(condition(d, "Progressing").getMessage())
                .isEqualTo("ReplicaSet \"" + rs.getMetadata().getName() + "\" has successfully progressed.");
        Await.until("the scaling event", () -> messages(ns, "ScalingReplicaSet")
                .contains("Scaled up replica set " + rs.getMetadata().getName() + " from 0 to 3"));
    }

    @Test
    void aNewTemplateRollsToANewReplicaSetAndUndoReusesTheOldOne() {
        String ns = cluster.namespace("deploy-undo");
        cluster.runPods(ns, p -> true);
        // zero values as a template decoded from kubectl's protobuf body holds them
        Deployment created = new DeploymentBuilder(deployment("web", 3)).editSpec().editTemplate().editMetadata()
                .withGeneration(0L).endMetadata().editSpec().withHostIPC(false).editFirstContainer().withStdin(false)
                .withTty(false).endContainer().endSpec().endTemplate().endSpec().build();
        client.apps().deployments().inNamespace(ns).resource(created).create();
        Await.until("revision 1 rolled out", () -> rolledOut(get(ns, "web")));
        ReplicaSet first = replicaSets(ns).getFirst();

        setImage(ns, "web", "busybox:1.36", "kubectl set image deployment/web busybox=busybox:1.36");

        Await.until("revision 2 rolled out", () -> rolledOut(get(ns, "web"))
                && "2".equals(get(ns, "web").getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")));
        ReplicaSet second = replicaSetWithRevision(ns, "2").orElseThrow();
        assertThat(second.getMetadata().getAnnotations())
                .containsEntry("kubernetes.io/change-cause", "kubectl set image deployment/web busybox=busybox:1.36");
        Await.until("old pods gone", () -> cluster.livePods(ns).size() == 3 && cluster.livePods(ns).stream()
                .allMatch(p -> p.getSpec().getContainers().getFirst().getImage().equals("busybox:1.36")));
        assertThat(client.apps().replicaSets().inNamespace(ns).withName(first.getMetadata().getName()).get()
                .getSpec().getReplicas()).isZero();
        assertThat(get(ns, "web").getStatus().getUpdatedReplicas()).isEqualTo(3);

        rollback(ns, "web", first);

        Await.until("revision 3 rolled out", () -> rolledOut(get(ns, "web"))
                && "3".equals(get(ns, "web").getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")));
        assertThat(replicaSets(ns)).hasSize(2);
        ReplicaSet reused = client.apps().replicaSets().inNamespace(ns).withName(first.getMetadata().getName()).get();
        assertThat(reused.getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "3")
                .containsEntry("deployment.kubernetes.io/revision-history", "1");
        Await.until("back on the first template", () -> cluster.livePods(ns).size() == 3 && cluster.livePods(ns).stream()
                .allMatch(p -> p.getSpec().getContainers().getFirst().getImage().equals("busybox")));
    }

    /** What {@code kubectl rollout undo} sends: the old template without its hash, and its annotations. */
    private void rollback(String ns, String name, ReplicaSet to) {
        PodTemplateSpec template = new PodTemplateSpecBuilder(to.getSpec().getTemplate()).build();
        template.getMetadata().getLabels().remove("pod-template-hash");
        // kubectl re-encodes the template through Go structs: zero values of plain fields vanish
        template.getMetadata().setGeneration(null);
        template.getSpec().setHostIPC(null);
        template.getSpec().getContainers().forEach(c -> {
            c.setStdin(null);
            c.setTty(null);
        });
        Map<String, String> annotations = new LinkedHashMap<>();
        Deployment d = get(ns, name);
        annotations.put(RevisionAnnotations.REVISION, d.getMetadata().getAnnotations().get(RevisionAnnotations.REVISION));
        to.getMetadata().getAnnotations().forEach((k, v) -> {
            if (!k.startsWith("deployment.kubernetes.io/")) {
                annotations.put(k, v);
            }
        });
        String patch = "[{\"op\":\"replace\",\"path\":\"/spec/template\",\"value\":"
                + client.getKubernetesSerialization().asJson(template)
                + "},{\"op\":\"replace\",\"path\":\"/metadata/annotations\",\"value\":"
                + client.getKubernetesSerialization().asJson(annotations) + "}]";
        client.apps().deployments().inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.JSON), patch);
    }

    @Test
    void scalesUpAndDown() {
        String ns = cluster.namespace("deploy-scale");
        cluster.runPods(ns, p -> true);
        client.apps().deployments().inNamespace(ns).resource(deployment("web", 3)).create();
        Await.until("rolled out", () -> rolledOut(get(ns, "web")));
        String rs = replicaSets(ns).getFirst().getMetadata().getName();

        client.apps().deployments().inNamespace(ns).withName("web").scale(10);
        Await.until("ten", () -> rolledOut(get(ns, "web")) && get(ns, "web").getStatus().getReplicas() == 10
                && cluster.livePods(ns).size() == 10);
        client.apps().deployments().inNamespace(ns).withName("web").scale(2);
        Await.until("two", () -> rolledOut(get(ns, "web")) && get(ns, "web").getStatus().getReplicas() == 2
                && cluster.livePods(ns).size() == 2);

        assertThat(replicaSets(ns)).hasSize(1);
        assertThat(replicaSets(ns).getFirst().getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/desired-replicas", "2")
                .containsEntry("deployment.kubernetes.io/max-replicas", "3");
        Await.until("scaling events", () -> messages(ns, "ScalingReplicaSet").containsAll(List.of(
                "Scaled up replica set " + rs + " from 3 to 10", "Scaled down replica set " + rs + " from 10 to 2")));
    }

    @Test
    void aPausedDeploymentScalesButDoesNotRoll() {
        String ns = cluster.namespace("deploy-pause");
        cluster.runPods(ns, p -> true);
        client.apps().deployments().inNamespace(ns).resource(deployment("web", 2)).create();
        Await.until("rolled out", () -> rolledOut(get(ns, "web")));

        client.apps().deployments().inNamespace(ns).withName("web")
                .edit(d -> new DeploymentBuilder(d).editSpec().withPaused(true).endSpec().build());
        setImage(ns, "web", "busybox:1.36", null);
        Await.until("the pause is observed", () -> {
            Deployment d = get(ns, "web");
            DeploymentCondition progressing = condition(d, "Progressing");
            return d.getStatus().getObservedGeneration() == d.getMetadata().getGeneration().longValue()
                    && progressing.getStatus().equals("Unknown") && progressing.getReason().equals("DeploymentPaused")
                    && progressing.getMessage().equals("Deployment is paused");
        });
        client.apps().deployments().inNamespace(ns).withName("web").scale(3);
        Await.until("scaled while paused", () -> get(ns, "web").getStatus().getReplicas() == 3);
        assertThat(replicaSets(ns)).hasSize(1);

        client.apps().deployments().inNamespace(ns).withName("web")
                .edit(d -> new DeploymentBuilder(d).editSpec().withPaused(false).endSpec().build());

        Await.until("the new template rolls out", () -> rolledOut(get(ns, "web")) && replicaSets(ns).size() == 2
                && condition(get(ns, "web"), "Progressing").getReason().equals("NewReplicaSetAvailable"));
        assertThat(cluster.livePods(ns)).hasSize(3);
    }

    @Test
    void recreateScalesTheOldReplicaSetToZeroBeforeTheNewOneStarts() {
        String ns = cluster.namespace("deploy-recreate");
        cluster.runPods(ns, p -> true);
        Deployment recreate = deployment("web", 3);
        recreate.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                .withType("Recreate").build());
        client.apps().deployments().inNamespace(ns).resource(recreate).create();
        Await.until("rolled out", () -> rolledOut(get(ns, "web")));
        String old = replicaSets(ns).getFirst().getMetadata().getName();

        setImage(ns, "web", "busybox:1.36", null);

        Await.until("revision 2 rolled out", () -> rolledOut(get(ns, "web")) && replicaSets(ns).size() == 2);
        String fresh = replicaSetWithRevision(ns, "2").orElseThrow().getMetadata().getName();
        Await.until("old scaled down at once, new up at once", () -> messages(ns, "ScalingReplicaSet").containsAll(List.of(
                "Scaled down replica set " + old + " from 3 to 0", "Scaled up replica set " + fresh + " from 0 to 3")));
    }

    @Test
    void aRolloutThatMakesNoProgressExceedsItsDeadline() {
        String ns = cluster.namespace("deploy-deadline");
        Deployment stuck = deployment("web", 2);
        stuck.getSpec().setProgressDeadlineSeconds(2);
        client.apps().deployments().inNamespace(ns).resource(stuck).create();

        Await.until("timed out", () ->
                condition(get(ns, "web"), "Progressing").getReason().equals("ProgressDeadlineExceeded"));
        Deployment d = get(ns, "web");
        String rs = replicaSets(ns).getFirst().getMetadata().getName();
        assertThat(condition(d, "Progressing").getStatus()).isEqualTo("False");
        assertThat(condition(d, "Progressing").getMessage()).isEqualTo("ReplicaSet \"" + rs + "\" has timed out progressing.");
        assertThat(condition(d, "Available")).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("MinimumReplicasUnavailable");
        });
        assertThat(d.getStatus().getUnavailableReplicas()).isEqualTo(2);
    }

    @Test
    void scalingInTheMiddleOfARolloutIsSpreadProportionally() {
        String ns = cluster.namespace("deploy-proportional");
        cluster.runPods(ns, p -> !p.getSpec().getContainers().getFirst().getImage().equals("busybox:broken"));
        Deployment d = deployment("web", 10);
        d.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                .withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(3))
                .withMaxUnavailable(new IntOrString(2)).endRollingUpdate().build());
        client.apps().deployments().inNamespace(ns).resource(d).create();
        Await.until("rolled out", () -> rolledOut(get(ns, "web")));
        String old = replicaSets(ns).getFirst().getMetadata().getName();

        setImage(ns, "web", "busybox:broken", null);
        Await.until("stuck at old 8, new 5", () -> replicaSets(ns).size() == 2
                && sizes(ns).equals(Map.of(old, 8, newName(ns, old), 5)));

        client.apps().deployments().inNamespace(ns).withName("web").scale(15);

        Await.until("old 11, new 7", () -> sizes(ns).equals(Map.of(old, 11, newName(ns, old), 7)));
    }

    private Map<String, Integer> sizes(String ns) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        replicaSets(ns).forEach(rs -> sizes.put(rs.getMetadata().getName(), rs.getSpec().getReplicas()));
        return sizes;
    }

    private String newName(String ns, String old) {
        return replicaSets(ns).stream().map(rs -> rs.getMetadata().getName()).filter(n -> !n.equals(old))
                .findFirst().orElse("");
    }

    @Test
    void oldReplicaSetsBeyondTheHistoryLimitAreDeleted() {
        String ns = cluster.namespace("deploy-history");
        cluster.runPods(ns, p -> true);
        Deployment d = deployment("web", 1);
        d.getSpec().setRevisionHistoryLimit(1);
        client.apps().deployments().inNamespace(ns).resource(d).create();
        Await.until("rolled out", () -> rolledOut(get(ns, "web")));
        for (String tag : List.of("1.35", "1.36", "1.37")) {
            setImage(ns, "web", "busybox:" + tag, null);
            Await.until("rolled out " + tag, () -> rolledOut(get(ns, "web")) && replicaSets(ns).stream()
                    .anyMatch(rs -> rs.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()
                            .equals("busybox:" + tag) && rs.getSpec().getReplicas() == 1));
        }
        Await.until("only the new one and one old one are left", () -> replicaSets(ns).size() == 2);
        assertThat(replicaSets(ns)).extracting(rs -> rs.getMetadata().getAnnotations().get(RevisionAnnotations.REVISION))
                .containsExactlyInAnyOrder("3", "4");
    }
}
