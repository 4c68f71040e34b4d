package dev.konductor.scheduler.plugins.volumebinding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Snapshot;
import dev.konductor.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VolumeBindingTest {

    private final FakeVolumes volumes = new FakeVolumes();
    private final VolumeBinding plugin = new VolumeBinding(volumes, volumes, Duration.ofSeconds(2),
            Duration.ofMillis(10));
    private final NodeInfo nodeA = new NodeInfo(node("node-a"));
    private final NodeInfo nodeB = new NodeInfo(node("node-b"));
    private final CycleState state = new CycleState(Snapshot.of(nodeA, nodeB));

    private static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
                .endMetadata().build();
    }

    private void storageClass(String name, String mode, String provisioner) {
        volumes.add(new StorageClassBuilder().withNewMetadata().withName(name).endMetadata()
                .withProvisioner(provisioner).withVolumeBindingMode(mode).build());
    }

    private void claim(String name, String storageClass, String volumeName) {
        volumes.add(new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withUid("uid-" + name).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .withStorageClassName(storageClass).withVolumeName(volumeName).withNewResources()
                .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build());
    }

    private void localVolume(String name, String node, String storageClass) {
        volumes.add(new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withAccessModes("ReadWriteOnce").withStorageClassName(storageClass)
                .addToCapacity("storage", new Quantity("1Gi")).withNewLocal().withPath("/mnt/" + name).endLocal()
                .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                .withKey("kubernetes.io/hostname").withOperator("In").withValues(node).endMatchExpression()
                .endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec().withNewStatus()
                .withPhase("Available").endStatus().build());
    }

    private static PodInfo podUsing(String... claims) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName("web-0").withNamespace("default").withUid("p")
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec();
        for (String claim : claims) {
            pod.editSpec().addNewVolume().withName(claim).withNewPersistentVolumeClaim().withClaimName(claim)
                    .endPersistentVolumeClaim().endVolume().endSpec();
        }
        return PodInfo.of(pod.build());
    }

    @Test
    void podsWithoutClaimsAreNotItsConcern() {
        assertThat(plugin.preFilter(state, podUsing(), null)).isEqualTo(Status.SKIP);
    }

    @Test
    void missingClaimOrUnboundImmediateClaimRulesThePodOut() {
        assertThat(plugin.preFilter(state, podUsing("ghost"), null).message())
                .isEqualTo("persistentvolumeclaim \"ghost\" not found");
        storageClass("fast", "Immediate", "example.com/fast");
        claim("data", "fast", null);
        Status status = plugin.preFilter(state, podUsing("data"), null);
        assertThat(status).isEqualTo(Status.unresolvable("pod has unbound immediate PersistentVolumeClaims"));
    }

    @Test
    void boundVolumePinsThePodToItsNode() {
        localVolume("local-a", "node-a", "local");
        claim("data", "local", "local-a");
        PodInfo pod = podUsing("data");
        assertThat(plugin.preFilter(state, pod, null)).isEqualTo(Status.SUCCESS);

        assertThat(plugin.filter(state, pod, nodeA)).isEqualTo(Status.SUCCESS);
        assertThat(plugin.filter(state, pod, nodeB)).isEqualTo(Status.unresolvable(VolumeBinding.NODE_CONFLICT));
    }

    @Test
    void waitForFirstConsumerClaimTakesAnAvailableLocalVolumeOnlyOnItsNode() {
        storageClass("local", "WaitForFirstConsumer", "kubernetes.io/no-provisioner");
        localVolume("local-b", "node-b", "local");
        claim("data", "local", null);
        PodInfo pod = podUsing("data");
        plugin.preFilter(state, pod, null);

        assertThat(plugin.filter(state, pod, nodeA)).isEqualTo(Status.unresolvable(VolumeBinding.BIND_CONFLICT));
        assertThat(plugin.filter(state, pod, nodeB)).isEqualTo(Status.SUCCESS);
        plugin.reserve(state, pod, "node-b");

        // the next pod's cycle does not see the reserved volume as free
        claim("other", "local", null);
        CycleState next = new CycleState(Snapshot.of(nodeB));
        PodInfo second = podUsing("other");
        plugin.preFilter(next, second, null);
        assertThat(plugin.filter(next, second, nodeB)).isEqualTo(Status.unresolvable(VolumeBinding.BIND_CONFLICT));

        plugin.unreserve(state, pod, "node-b");
        assertThat(plugin.filter(next, second, nodeB)).isEqualTo(Status.SUCCESS);
    }

    @Test
    void provisionableClaimSelectsTheNodeAndWaitsUntilBound() throws Exception {
        storageClass("standard", "WaitForFirstConsumer", "konductor.dev/hostpath");
        claim("www", "standard", null);
        PodInfo pod = podUsing("www");
        plugin.preFilter(state, pod, null);
        assertThat(plugin.filter(state, pod, nodeA)).isEqualTo(Status.SUCCESS);
        plugin.reserve(state, pod, "node-a");

        Thread binder = Thread.ofVirtual().start(() -> {
            // what the provisioner and the persistent volume controller do meanwhile
            sleep(100);
            volumes.add(new PersistentVolumeBuilder().withNewMetadata().withName("pvc-1").endMetadata().withNewSpec()
                    .withNewClaimRef().withNamespace("default").withName("www").withUid("uid-www").endClaimRef()
                    .endSpec().build());
            volumes.add(new PersistentVolumeClaimBuilder(volumes.claims.get("default/www")).editMetadata()
                    .addToAnnotations("pv.kubernetes.io/bind-completed", "yes")
                    .addToAnnotations("volume.kubernetes.io/selected-node", "node-a").endMetadata()
                    .editSpec().withVolumeName("pvc-1").endSpec().build());
        });
        Status bound = plugin.preBind(state, pod, "node-a");
        binder.join();

        assertThat(bound).isEqualTo(Status.SUCCESS);
        assertThat(volumes.writes).containsExactly("select node-a for www");
    }

    @Test
    void bindingThatNeverCompletesTimesOut() {
        storageClass("standard", "WaitForFirstConsumer", "konductor.dev/hostpath");
        claim("www", "standard", null);
        PodInfo pod = podUsing("www");
        plugin.preFilter(state, pod, null);
        plugin.filter(state, pod, nodeA);
        assertThat(plugin.preBind(state, pod, "node-a").message())
                .isEqualTo("binding volumes: timed out waiting for the condition");
    }

    @Test
    void annotationTheInformerHasNotShownYetIsNoReset() throws Exception {
        storageClass("standard", "WaitForFirstConsumer", "konductor.dev/hostpath");
        claim("www", "standard", null);
        PodInfo pod = podUsing("www");
        plugin.preFilter(state, pod, null);
        plugin.filter(state, pod, nodeA);
        volumes.showSelectedNode = false;

        Thread informer = Thread.ofVirtual().start(() -> {
            sleep(100);
            volumes.add(new PersistentVolumeClaimBuilder(volumes.claims.get("default/www")).editMetadata()
                    .addToAnnotations("volume.kubernetes.io/selected-node", "node-a").endMetadata().build());
            sleep(100);
            volumes.add(new PersistentVolumeBuilder().withNewMetadata().withName("pvc-1").endMetadata().withNewSpec()
                    .withNewClaimRef().withNamespace("default").withName("www").withUid("uid-www").endClaimRef()
                    .endSpec().build());
            volumes.add(new PersistentVolumeClaimBuilder(volumes.claims.get("default/www")).editMetadata()
                    .addToAnnotations("pv.kubernetes.io/bind-completed", "yes").endMetadata()
                    .editSpec().withVolumeName("pvc-1").endSpec().build());
        });
        Status bound = plugin.preBind(state, pod, "node-a");
        informer.join();

        assertThat(bound).isEqualTo(Status.SUCCESS);
    }

    @Test
    void provisionerGivingTheNodeBackFailsTheBinding() throws Exception {
        storageClass("standard", "WaitForFirstConsumer", "konductor.dev/hostpath");
        claim("www", "standard", null);
        PodInfo pod = podUsing("www");
        plugin.preFilter(state, pod, null);
        plugin.filter(state, pod, nodeA);

        Thread provisioner = Thread.ofVirtual().start(() -> {
            sleep(100);
            volumes.add(new PersistentVolumeClaimBuilder(volumes.claims.get("default/www")).editMetadata()
                    .removeFromAnnotations("volume.kubernetes.io/selected-node").endMetadata().build());
        });
        Status status = plugin.preBind(state, pod, "node-a");
        provisioner.join();

        assertThat(status.message()).isEqualTo("binding volumes: selectedNode annotation reset for PVC \"www\"");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
