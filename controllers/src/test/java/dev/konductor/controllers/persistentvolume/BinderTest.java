package dev.konductor.controllers.persistentvolume;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BinderTest {

    private final List<PersistentVolume> volumes = new ArrayList<>();
    private final List<StorageClass> classes = new ArrayList<>();
    private final Binder binder = new Binder(volumes,
            name -> volumes.stream().filter(v -> v.getMetadata().getName().equals(name)).findFirst(),
            name -> classes.stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst());

    private static PersistentVolumeClaimBuilder claim(String storageClass) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").withNamespace("shop")
                .withUid("claim-1").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .withStorageClassName(storageClass).withNewResources().addToRequests("storage", new Quantity("1Gi"))
                .endResources().endSpec().withNewStatus().withPhase("Pending").endStatus();
    }

    private static PersistentVolumeBuilder volume(String name, String storageClass, String policy) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withAccessModes("ReadWriteOnce").withStorageClassName(storageClass)
                .withPersistentVolumeReclaimPolicy(policy).addToCapacity("storage", new Quantity("1Gi"))
                .withNewHostPath().withPath("/mnt/" + name).endHostPath().endSpec().withNewStatus()
                .withPhase("Available").endStatus();
    }

    private void storageClass(String name, String provisioner, String mode) {
        classes.add(new StorageClassBuilder().withNewMetadata().withName(name).endMetadata().withProvisioner(provisioner)
                .withVolumeBindingMode(mode).build());
    }

    private static PersistentVolumeBuilder boundTo(PersistentVolumeBuilder volume, String claimUid) {
        return volume.editSpec().withNewClaimRef().withNamespace("shop").withName("data").withUid(claimUid)
                .endClaimRef().endSpec();
    }

    @Test
    void claimBindsToAMatchingVolume() {
        PersistentVolume pv = volume("pv-1", "manual", "Retain").build();
        volumes.add(pv);
        PersistentVolumeClaim claim = claim("manual").build();
        assertThat(binder.syncClaim(claim)).containsExactly(new Action.Bind(pv, claim));
    }

    @Test
    void waitForFirstConsumerWaitsForTheScheduler() {
        storageClass("standard", "konductor.dev/hostpath", "WaitForFirstConsumer");
        PersistentVolumeClaim claim = claim("standard").build();
        assertThat(binder.syncClaim(claim)).containsExactly(
                new Action.Event(claim, false, "WaitForFirstConsumer", Binder.WAITING_FOR_CONSUMER),
                new Action.ClaimPhase(claim, "Pending"));
    }

    @Test
    void onceANodeIsSelectedTheProvisionerIsAsked() {
        storageClass("standard", "konductor.dev/hostpath", "WaitForFirstConsumer");
        PersistentVolumeClaim claim = claim("standard").editMetadata()
                .addToAnnotations("volume.kubernetes.io/selected-node", "node-a").endMetadata().build();
        assertThat(binder.syncClaim(claim)).containsExactly(
                new Action.RequestProvisioning(claim, "konductor.dev/hostpath"), new Action.ClaimPhase(claim, "Pending"));
    }

    @Test
    void immediateClassAsksTheProvisionerAtOnceAndAMissingClassIsAWarning() {
        storageClass("fast", "example.com/fast", "Immediate");
        PersistentVolumeClaim fast = claim("fast").build();
        assertThat(binder.syncClaim(fast)).contains(new Action.RequestProvisioning(fast, "example.com/fast"));

        PersistentVolumeClaim ghost = claim("ghost").build();
        assertThat(binder.syncClaim(ghost)).containsExactly(new Action.Event(ghost, true, "ProvisioningFailed",
                "storageclass.storage.k8s.io \"ghost\" not found"), new Action.ClaimPhase(ghost, "Pending"));
    }

    @Test
    void claimWithoutClassOrVolumeStaysPending() {
        PersistentVolumeClaim claim = claim("").build();
        assertThat(binder.syncClaim(claim)).containsExactly(new Action.Event(claim, false, "FailedBinding",
                Binder.NO_CLASS), new Action.ClaimPhase(claim, "Pending"));
    }

    @Test
    void requestedVolumeBoundElsewhereIsRefused() {
        volumes.add(volume("pv-1", "manual", "Retain").editSpec().withNewClaimRef().withNamespace("shop")
                .withName("other").withUid("claim-2").endClaimRef().endSpec().build());
        PersistentVolumeClaim claim = claim("manual").editSpec().withVolumeName("pv-1").endSpec().build();
        assertThat(binder.syncClaim(claim)).containsExactly(new Action.Event(claim, true, "FailedBinding",
                "volume \"pv-1\" already bound to a different claim."), new Action.ClaimPhase(claim, "Pending"));
    }

    @Test
    void boundClaimWhoseVolumeVanishedIsLost() {
        PersistentVolumeClaim claim = claim("manual").editMetadata()
                .addToAnnotations("pv.kubernetes.io/bind-completed", "yes").endMetadata().editSpec()
                .withVolumeName("pv-1").endSpec().build();
        assertThat(binder.syncClaim(claim)).containsExactly(new Action.Event(claim, true, "ClaimLost",
                "Bound claim has lost its PersistentVolume. Data on the volume is lost!"),
                new Action.ClaimPhase(claim, "Lost"));
    }

    @Test
    void volumeFollowsItsClaim() {
        PersistentVolume free = volume("pv-1", "manual", "Retain").editStatus().withPhase("Pending").endStatus().build();
        assertThat(binder.syncVolume(free, Optional.empty()))
                .containsExactly(new Action.VolumePhase(free, "Available", null));
        PersistentVolume bound = boundTo(volume("pv-1", "manual", "Retain"), "claim-1").build();
        PersistentVolumeClaim claim = claim("manual").editSpec().withVolumeName("pv-1").endSpec().build();
        assertThat(binder.syncVolume(bound, Optional.of(claim)))
                .containsExactly(new Action.VolumePhase(bound, "Bound", null));
    }

    @Test
    void retainedVolumeIsReleasedWhenItsClaimGoes() {
        PersistentVolume pv = boundTo(volume("pv-1", "manual", "Retain"), "claim-1").build();
        assertThat(binder.syncVolume(pv, Optional.empty()))
                .containsExactly(new Action.VolumePhase(pv, "Released", null));
    }

    @Test
    void deletePolicyIsTheProvisionersJobOrAFailure() {
        PersistentVolume provisioned = boundTo(volume("pvc-1", "standard", "Delete"), "claim-1").editMetadata()
                .addToAnnotations("pv.kubernetes.io/provisioned-by", "konductor.dev/hostpath").endMetadata().build();
        assertThat(binder.syncVolume(provisioned, Optional.empty()))
                .containsExactly(new Action.VolumePhase(provisioned, "Released", null));

        PersistentVolume manual = boundTo(volume("pv-1", "manual", "Delete"), "claim-1").build();
        String message = "error getting deleter volume plugin for volume \"pv-1\": no deletable volume plugin matched";
        assertThat(binder.syncVolume(manual, Optional.empty())).containsExactly(
                new Action.Event(manual, true, "VolumeFailedDelete", message),
                new Action.VolumePhase(manual, "Failed", message));
    }

    @Test
    void volumeWhoseClaimBoundElsewhereIsFreedAgain() {
        PersistentVolume pv = boundTo(volume("pv-1", "manual", "Retain"), "claim-1").build();
        PersistentVolumeClaim claim = claim("manual").editSpec().withVolumeName("pv-2").endSpec().build();
        assertThat(binder.syncVolume(pv, Optional.of(claim))).containsExactly(new Action.Unbind(pv));
    }

    @Test
    void provisionedVolumeWaitsForItsClaimToBind() {
        PersistentVolume pv = boundTo(volume("pvc-1", "standard", "Delete"), "claim-1").build();
        assertThat(binder.syncVolume(pv, Optional.of(claim("standard").build())))
                .containsExactly(new Action.SyncClaim("shop", "data"));
    }
}
