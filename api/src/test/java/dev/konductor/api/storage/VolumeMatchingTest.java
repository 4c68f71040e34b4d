package dev.konductor.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VolumeMatchingTest {

    private static PersistentVolumeClaim claim(String size, String storageClass, String... modes) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").withNamespace("shop")
                .withUid("claim-uid").endMetadata().withNewSpec().withAccessModes(modes)
                .withStorageClassName(storageClass).withNewResources().addToRequests("storage", new Quantity(size))
                .endResources().endSpec().build();
    }

    private static PersistentVolumeBuilder volume(String name, String size, String storageClass, String... modes) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withAccessModes(modes).withStorageClassName(storageClass).addToCapacity("storage", new Quantity(size))
                .withNewHostPath().withPath("/mnt/" + name).endHostPath().endSpec().withNewStatus()
                .withPhase("Available").endStatus();
    }

    private static Optional<String> best(PersistentVolumeClaim claim, PersistentVolume... volumes) {
        return VolumeMatching.bestMatch(claim, List.of(volumes), null, false, Set.of())
                .map(v -> v.getMetadata().getName());
    }

    @Test
    void smallestVolumeThatIsBigEnoughWins() {
        assertThat(best(claim("5Gi", "manual", "ReadWriteOnce"),
                volume("huge", "100Gi", "manual", "ReadWriteOnce").build(),
                volume("tiny", "1Gi", "manual", "ReadWriteOnce").build(),
                volume("fits", "5Gi", "manual", "ReadWriteOnce").build(),
                volume("roomy", "10Gi", "manual", "ReadWriteOnce").build())).contains("fits");
    }

    @Test
    void classMustBeTheClaimsOwn() {
        assertThat(best(claim("1Gi", "fast", "ReadWriteOnce"),
                volume("slow", "1Gi", "slow", "ReadWriteOnce").build())).isEmpty();
        assertThat(best(claim("1Gi", "", "ReadWriteOnce"),
                volume("classless", "1Gi", "", "ReadWriteOnce").build(),
                volume("classy", "1Gi", "slow", "ReadWriteOnce").build())).contains("classless");
    }

    @Test
    void fewestAccessModesThatCoverTheClaimArePreferredOverSize() {
        assertThat(best(claim("1Gi", "manual", "ReadWriteOnce"),
                volume("shared", "1Gi", "manual", "ReadWriteOnce", "ReadWriteMany").build(),
                volume("exact", "50Gi", "manual", "ReadWriteOnce").build())).contains("exact");
        assertThat(best(claim("1Gi", "manual", "ReadWriteMany"),
                volume("rwo", "1Gi", "manual", "ReadWriteOnce").build())).isEmpty();
    }

    @Test
    void selectorNarrowsTheCandidates() {
        PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder(claim("1Gi", "manual", "ReadWriteOnce"))
                .editSpec().withNewSelector().addToMatchLabels("tier", "db").endSelector().endSpec().build();
        assertThat(best(claim,
                volume("web", "1Gi", "manual", "ReadWriteOnce").editMetadata().addToLabels("tier", "web").endMetadata().build(),
                volume("db", "2Gi", "manual", "ReadWriteOnce").editMetadata().addToLabels("tier", "db").endMetadata().build()))
                .contains("db");
    }

    @Test
    void volumeReservedForTheClaimWinsEvenWhenNotAvailableYet() {
        PersistentVolume reserved = volume("reserved", "100Gi", "other", "ReadWriteOnce").editSpec().withNewClaimRef()
                .withNamespace("shop").withName("data").endClaimRef().endSpec().editStatus().withPhase("Pending")
                .endStatus().build();
        assertThat(best(claim("1Gi", "manual", "ReadWriteOnce"), volume("free", "1Gi", "manual", "ReadWriteOnce").build(),
                reserved)).contains("reserved");
    }

    @Test
    void volumesOfOtherClaimsOrNotAvailableAreSkipped() {
        PersistentVolume taken = volume("taken", "1Gi", "manual", "ReadWriteOnce").editSpec().withNewClaimRef()
                .withNamespace("shop").withName("other").withUid("x").endClaimRef().endSpec().build();
        PersistentVolume released = volume("released", "1Gi", "manual", "ReadWriteOnce").editStatus()
                .withPhase("Released").endStatus().build();
        PersistentVolume block = volume("block", "1Gi", "manual", "ReadWriteOnce").editSpec().withVolumeMode("Block")
                .endSpec().build();
        assertThat(best(claim("1Gi", "manual", "ReadWriteOnce"), taken, released, block)).isEmpty();
    }

    @Test
    void delayedBindingLeavesFreeVolumesToTheScheduler() {
        PersistentVolumeClaim claim = claim("1Gi", "local", "ReadWriteOnce");
        PersistentVolume local = volume("local-1", "1Gi", "local", "ReadWriteOnce").build();
        assertThat(VolumeMatching.bestMatch(claim, List.of(local), null, true, Set.of())).isEmpty();
        assertThat(VolumeMatching.bestMatch(claim, List.of(local), v -> true, true, Set.of())).contains(local);
        assertThat(VolumeMatching.bestMatch(claim, List.of(local), v -> false, true, Set.of())).isEmpty();
        assertThat(VolumeMatching.bestMatch(claim, List.of(local), v -> true, true, Set.of("local-1"))).isEmpty();
    }
}
