package dev.konductor.scheduler;

import dev.konductor.api.storage.VolumeBindings;
import dev.konductor.scheduler.plugins.volumebinding.VolumeState;
import dev.konductor.scheduler.plugins.volumebinding.VolumeWriter;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Collection;
import java.util.Optional;

/** {@link VolumeState} over the scheduler's informers, {@link VolumeWriter} over the client. */
final class InformerVolumes implements VolumeState, VolumeWriter {

    private final KubernetesClient client;
    private final SharedIndexInformer<PersistentVolumeClaim> claims;
    private final SharedIndexInformer<PersistentVolume> volumes;
    private final SharedIndexInformer<StorageClass> classes;

    InformerVolumes(KubernetesClient client, SharedIndexInformer<PersistentVolumeClaim> claims,
                    SharedIndexInformer<PersistentVolume> volumes, SharedIndexInformer<StorageClass> classes) {
        this.client = client;
        this.claims = claims;
        this.volumes = volumes;
        this.classes = classes;
    }

    @Override
    public Optional<PersistentVolumeClaim> claim(String namespace, String name) {
        return Optional.ofNullable(claims.getStore().getByKey(namespace + "/" + name));
    }

    @Override
    public Optional<PersistentVolume> volume(String name) {
        return Optional.ofNullable(volumes.getStore().getByKey(name));
    }

    @Override
    public Collection<PersistentVolume> volumes() {
        return volumes.getStore().list();
    }

    @Override
    public Optional<StorageClass> storageClass(String name) {
        return Optional.ofNullable(classes.getStore().getByKey(name));
    }

    @Override
    public void reserve(PersistentVolume volume, PersistentVolumeClaim claim) {
        client.persistentVolumes().resource(new PersistentVolumeBuilder(volume).editMetadata()
                .addToAnnotations(VolumeBindings.BOUND_BY_CONTROLLER, "yes").endMetadata().editSpec()
                .withNewClaimRef().withKind("PersistentVolumeClaim").withApiVersion("v1")
                .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                .withUid(claim.getMetadata().getUid()).withResourceVersion(claim.getMetadata().getResourceVersion())
                .endClaimRef().endSpec().build()).update();
    }

    @Override
    public void selectNode(PersistentVolumeClaim claim, String node) {
        if (node.equals(VolumeBindings.annotation(claim.getMetadata().getAnnotations(), VolumeBindings.SELECTED_NODE))) {
            return;
        }
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName())
                .edit(current -> new PersistentVolumeClaimBuilder(current).editMetadata()
                        .addToAnnotations(VolumeBindings.SELECTED_NODE, node).endMetadata().build());
    }
}
