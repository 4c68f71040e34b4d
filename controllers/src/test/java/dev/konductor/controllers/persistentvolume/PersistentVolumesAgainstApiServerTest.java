package dev.konductor.controllers.persistentvolume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.provisioner.HostPathProvisioner;
import dev.konductor.controllers.testsupport.ControllerHarness;
import dev.konductor.testing.Await;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Claims, volumes and the hostPath provisioner end to end against a real API server. */
class PersistentVolumesAgainstApiServerTest {

    private static ControllerHarness harness;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        harness = new ControllerHarness(() -> List.of(new PersistentVolumeController(), new HostPathProvisioner()));
        client = harness.client();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static PersistentVolumeClaim claim(String namespace, String name, String size, String storageClass) {
        return client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(name).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .withStorageClassName(storageClass).withNewResources().addToRequests("storage", new Quantity(size))
                .endResources().endSpec().build()).create();
    }

    /** A volume made by hand, of a class of its test's own (tests share the cluster-wide volumes). */
    private static void volume(String name, String size, String policy, String storageClass) {
        client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storageClass)
                .withPersistentVolumeReclaimPolicy(policy).addToCapacity("storage", new Quantity(size))
                .withNewHostPath().withPath("/mnt/" + name).endHostPath().endSpec().build()).create();
    }

    private static String claimPhase(String namespace, String name) {
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
        return claim == null || claim.getStatus() == null ? "" : claim.getStatus().getPhase();
    }

    private static String volumePhase(String name) {
        PersistentVolume pv = client.persistentVolumes().withName(name).get();
        return pv == null || pv.getStatus() == null ? "" : pv.getStatus().getPhase();
    }

    @Test
    void claimBindsToTheSmallestFittingVolumeAndReleasesItOnDeletion() {
        String ns = harness.namespace("static");
        volume("static-small", "1Gi", "Retain", "manual");
        volume("static-fits", "5Gi", "Retain", "manual");
        volume("static-large", "50Gi", "Retain", "manual");
        // all three: as upstream, only Available volumes are matched, and the controller's workers
        // need not make them Available in the order they were created
        Await.until("volumes become Available", () -> Stream.of("static-small", "static-fits", "static-large")
                .allMatch(v -> volumePhase(v).equals("Available")));

        claim(ns, "data", "3Gi", "manual");

        Await.until("the claim is Bound", () -> claimPhase(ns, "data").equals("Bound"));
        PersistentVolumeClaim bound = client.persistentVolumeClaims().inNamespace(ns).withName("data").get();
        assertThat(bound.getSpec().getVolumeName()).isEqualTo("static-fits");
        assertThat(bound.getStatus().getCapacity().get("storage")).isEqualTo(new Quantity("5Gi"));
        assertThat(bound.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bind-completed", "yes");
        Await.until("the volume is Bound to it", () -> volumePhase("static-fits").equals("Bound"));

        client.persistentVolumeClaims().inNamespace(ns).withName("data").delete();
        Await.until("the retained volume is Released", () -> volumePhase("static-fits").equals("Released"));
        assertThat(volumePhase("static-small")).isEqualTo("Available");
    }

    @Test
    void deletePolicyWithoutAProvisionerFailsTheVolume() {
        String ns = harness.namespace("manual-delete");
        volume("doomed", "1Gi", "Delete", "manual-delete");
        claim(ns, "data", "1Gi", "manual-delete");
        Await.until("the claim is Bound", () -> claimPhase(ns, "data").equals("Bound"));

        client.persistentVolumeClaims().inNamespace(ns).withName("data").delete();

        Await.until("the volume is Failed", () -> volumePhase("doomed").equals("Failed"));
        assertThat(client.persistentVolumes().withName("doomed").get().getStatus().getMessage())
                .contains("no deletable volume plugin matched");
    }

    @Test
    void defaultClassProvisionsOnTheSelectedNodeAndCleansUpAfterTheClaim() {
        String ns = harness.namespace("dynamic");
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-a")
                .addToLabels("kubernetes.io/hostname", "node-a").endMetadata().build()).create();
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(ns).resource(
                new PersistentVolumeClaimBuilder().withNewMetadata().withName("www").endMetadata().withNewSpec()
                        .withAccessModes("ReadWriteOnce").withNewResources()
                        .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("standard");
        Await.until("the claim waits for its first consumer", () -> !harness.events(ns, "WaitForFirstConsumer").isEmpty());
        assertThat(claimPhase(ns, "www")).isEqualTo("Pending");

        // what the scheduler does once a pod using the claim is placed
        client.persistentVolumeClaims().inNamespace(ns).withName("www").edit(c -> new PersistentVolumeClaimBuilder(c)
                .editMetadata().addToAnnotations("volume.kubernetes.io/selected-node", "node-a").endMetadata().build());

        Await.until("the provisioned volume is bound", () -> claimPhase(ns, "www").equals("Bound"));
        String pvName = "pvc-" + claim.getMetadata().getUid();
        PersistentVolume pv = client.persistentVolumes().withName(pvName).get();
        assertThat(pv.getSpec().getHostPath().getPath()).endsWith("/" + pvName);
        assertThat(pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().getFirst().getMatchExpressions()
                .getFirst().getValues()).containsExactly("node-a");
        assertThat(harness.events(ns, "ProvisioningSucceeded")).isNotEmpty();

        client.persistentVolumeClaims().inNamespace(ns).withName("www").delete();

        String helper = "helper-pod-delete-" + pvName;
        Await.until("a pod on the node removes the data",
                () -> client.pods().inNamespace("kube-system").withName(helper).get() != null);
        Pod cleanup = client.pods().inNamespace("kube-system").withName(helper).get();
        assertThat(cleanup.getSpec().getNodeName()).isEqualTo("node-a");
        // what the node's kubelet reports once rm has run
        client.pods().inNamespace("kube-system").resource(new PodBuilder(cleanup).editOrNewStatus()
                .withPhase("Succeeded").endStatus().build()).updateStatus();
        Await.until("the volume is gone", () -> client.persistentVolumes().withName(pvName).get() == null);
        Await.until("and so is the helper pod", () -> client.pods().inNamespace("kube-system").withName(helper).get() == null);
    }
}
