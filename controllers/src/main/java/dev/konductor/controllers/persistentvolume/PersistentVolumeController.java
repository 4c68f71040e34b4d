package dev.konductor.controllers.persistentvolume;

import dev.konductor.api.storage.VolumeBindings;
import dev.konductor.client.CoreEvents;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Handlers;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Upstream's persistentvolume-binder controller: binds claims to volumes (or waits for the
 * scheduler, or asks a provisioner), keeps both sides' phases (claims Pending, Bound, Lost;
 * volumes Available, Bound, Released, Failed) and applies a volume's reclaim policy once its claim
 * is gone. The decisions are {@link Binder}'s; this class feeds it from the informers and writes
 * what it decides. Everything is looked at again every {@value #RESYNC_SECONDS} seconds, as
 * upstream's periodic sync, so a new volume is found by the claims waiting for one.
 */
public final class PersistentVolumeController implements Controller {

    static final String NAME = "persistentvolume-binder-controller";
    static final long RESYNC_SECONDS = 15;

    private KubernetesClient client;
    private Clock clock;
    private CoreEvents events;
    private Lister<PersistentVolume> volumes;
    private Lister<PersistentVolumeClaim> claims;
    private Lister<StorageClass> classes;
    private ControllerLoop volumeLoop;
    private ControllerLoop claimLoop;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        clock = context.clock();
        events = context.events("persistentvolume-controller");
        volumes = context.informers().lister(PersistentVolume.class);
        claims = context.informers().lister(PersistentVolumeClaim.class);
        classes = context.informers().lister(StorageClass.class);
        volumeLoop = new ControllerLoop(NAME + "-volumes", this::syncVolume, context.settings().workers());
        claimLoop = new ControllerLoop(NAME + "-claims", this::syncClaim, context.settings().workers());
        context.informers().of(PersistentVolume.class).addEventHandler(Handlers.onChange(this::volumeChanged));
        context.informers().of(PersistentVolumeClaim.class).addEventHandler(Handlers.onChange(this::claimChanged));
        context.informers().of(StorageClass.class).addEventHandler(Handlers.onAddOrUpdate((StorageClass c) ->
                claims.list().forEach(claim -> claimLoop.enqueue(Keys.of(claim)))));
        volumeLoop.start(context.informers()::synced);
        claimLoop.start(context.informers()::synced);
    }

    private void volumeChanged(PersistentVolume volume) {
        volumeLoop.enqueue(volume.getMetadata().getName());
        ObjectReference ref = volume.getSpec().getClaimRef();
        if (ref != null) {
            claimLoop.enqueue(Keys.of(ref.getNamespace(), ref.getName()));
        } else {
            // a free volume: any claim still waiting may take it now
            claims.list().stream().filter(c -> !VolumeBindings.hasAnnotation(c, VolumeBindings.BIND_COMPLETED))
                    .forEach(c -> claimLoop.enqueue(Keys.of(c)));
        }
    }

    private void claimChanged(PersistentVolumeClaim claim) {
        claimLoop.enqueue(Keys.of(claim));
        String volumeName = claim.getSpec().getVolumeName();
        if (volumeName != null && !volumeName.isEmpty()) {
            volumeLoop.enqueue(volumeName);
        }
        // a deleted claim releases the volumes that reference it
        volumes.list().stream().filter(v -> VolumeBindings.isBoundTo(v, claim))
                .forEach(v -> volumeLoop.enqueue(v.getMetadata().getName()));
    }

    Result syncClaim(String key) {
        Optional<PersistentVolumeClaim> claim = claims.get(key);
        if (claim.isPresent() && claim.get().getMetadata().getDeletionTimestamp() == null) {
            perform(binder().syncClaim(claim.get()));
        }
        return claim.isPresent() ? Result.after(Duration.ofSeconds(RESYNC_SECONDS)) : Result.done();
    }

    Result syncVolume(String name) {
        Optional<PersistentVolume> volume = volumes.get(name);
        if (volume.isEmpty()) {
            return Result.done();
        }
        perform(binder().syncVolume(volume.get(), claimOf(volume.get())));
        return Result.after(Duration.ofSeconds(RESYNC_SECONDS));
    }

    private Binder binder() {
        return new Binder(volumes.list(), volumes::get, classes::get);
    }

    /**
     * The claim the volume's claimRef names, with that uid. A claim missing from the cache is
     * looked up in the API before the volume is released: the cache may just be behind.
     */
    private Optional<PersistentVolumeClaim> claimOf(PersistentVolume volume) {
        ObjectReference ref = volume.getSpec().getClaimRef();
        if (ref == null) {
            return Optional.empty();
        }
        Optional<PersistentVolumeClaim> claim = claims.get(ref.getNamespace(), ref.getName());
        if (claim.isEmpty()) {
            claim = Optional.ofNullable(client.persistentVolumeClaims().inNamespace(ref.getNamespace())
                    .withName(ref.getName()).get());
        }
        return claim.filter(c -> ref.getUid() == null || ref.getUid().isEmpty()
                || ref.getUid().equals(c.getMetadata().getUid()));
    }

    private void perform(List<Action> actions) {
        for (Action action : actions) {
            switch (action) {
                case Action.Bind bind -> bind(bind.volume(), bind.claim());
                case Action.ClaimPhase phase -> claimPhase(phase.claim(), phase.phase());
                case Action.VolumePhase phase -> volumePhase(phase.volume(), phase.phase(), phase.message());
                case Action.RequestProvisioning request -> requestProvisioning(request.claim(), request.provisioner());
                case Action.Unbind unbind -> unbind(unbind.volume());
                case Action.SyncClaim sync -> claimLoop.enqueue(Keys.of(sync.namespace(), sync.name()));
                case Action.Event event -> events.record(event.regarding(),
                        event.warning() ? CoreEvents.WARNING : CoreEvents.NORMAL, event.reason(), event.message());
            }
        }
    }

    /**
     * Binds in upstream's order, each step written before the next: the volume's claimRef, the
     * volume's phase, the claim's volumeName, the claim's status. A crash in between leaves a
     * state the next sync completes. A conflict fails the sync, which retries with fresh objects.
     */
    private void bind(PersistentVolume volume, PersistentVolumeClaim claim) {
        PersistentVolume current = volume;
        if (!claimRefMatches(current, claim)) {
            PersistentVolumeBuilder b = new PersistentVolumeBuilder(current).editSpec().withNewClaimRef()
                    .withKind("PersistentVolumeClaim").withApiVersion("v1")
                    .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                    .withUid(claim.getMetadata().getUid())
                    .withResourceVersion(claim.getMetadata().getResourceVersion()).endClaimRef().endSpec();
            if (current.getSpec().getClaimRef() == null) {
                b.editMetadata().addToAnnotations(VolumeBindings.BOUND_BY_CONTROLLER, "yes").endMetadata();
            }
            current = client.persistentVolumes().resource(b.build()).update();
        }
        current = volumePhase(current, "Bound", null);
        PersistentVolumeClaim currentClaim = claim;
        String volumeName = current.getMetadata().getName();
        if (!volumeName.equals(claim.getSpec().getVolumeName())
                || !VolumeBindings.hasAnnotation(claim, VolumeBindings.BIND_COMPLETED)) {
            PersistentVolumeClaimBuilder b = new PersistentVolumeClaimBuilder(claim).editSpec()
                    .withVolumeName(volumeName).endSpec().editMetadata()
                    .addToAnnotations(VolumeBindings.BIND_COMPLETED, "yes").endMetadata();
            if (claim.getSpec().getVolumeName() == null || claim.getSpec().getVolumeName().isEmpty()) {
                b.editMetadata().addToAnnotations(VolumeBindings.BOUND_BY_CONTROLLER, "yes").endMetadata();
            }
            currentClaim = client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                    .resource(b.build()).update();
        }
        var status = currentClaim.getStatus();
        if (status == null || !"Bound".equals(status.getPhase())
                || !Objects.equals(status.getCapacity(), current.getSpec().getCapacity())
                || !Objects.equals(status.getAccessModes(), current.getSpec().getAccessModes())) {
            client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                    .resource(new PersistentVolumeClaimBuilder(currentClaim).editOrNewStatus().withPhase("Bound")
                            .withCapacity(current.getSpec().getCapacity())
                            .withAccessModes(current.getSpec().getAccessModes()).endStatus().build())
                    .updateStatus();
        }
    }

    private static boolean claimRefMatches(PersistentVolume volume, PersistentVolumeClaim claim) {
        ObjectReference ref = volume.getSpec().getClaimRef();
        return ref != null && claim.getMetadata().getName().equals(ref.getName())
                && claim.getMetadata().getNamespace().equals(ref.getNamespace())
                && claim.getMetadata().getUid().equals(ref.getUid());
    }

    private void claimPhase(PersistentVolumeClaim claim, String phase) {
        if (claim.getStatus() != null && phase.equals(claim.getStatus().getPhase())) {
            return;
        }
        PersistentVolumeClaimBuilder b = new PersistentVolumeClaimBuilder(claim).editOrNewStatus().withPhase(phase)
                .endStatus();
        if (phase.equals("Lost")) {
            // a lost claim no longer reports the capacity of a volume it does not have
            b.editStatus().withCapacity(null).withAccessModes(List.of()).endStatus();
        }
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(b.build())
                .updateStatus();
    }

    private PersistentVolume volumePhase(PersistentVolume volume, String phase, String message) {
        var status = volume.getStatus();
        if (status != null && phase.equals(status.getPhase()) && Objects.equals(message, status.getMessage())) {
            return volume;
        }
        boolean changed = status == null || !phase.equals(status.getPhase());
        PersistentVolumeBuilder b = new PersistentVolumeBuilder(volume).editOrNewStatus().withPhase(phase)
                .withMessage(message).endStatus();
        if (changed) {
            b.editStatus().withLastPhaseTransitionTime(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString())
                    .endStatus();
        }
        return client.persistentVolumes().resource(b.build()).updateStatus();
    }

    private void requestProvisioning(PersistentVolumeClaim claim, String provisioner) {
        if (provisioner.equals(VolumeBindings.annotation(claim.getMetadata().getAnnotations(),
                VolumeBindings.STORAGE_PROVISIONER))) {
            return;
        }
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .resource(new PersistentVolumeClaimBuilder(claim).editMetadata()
                        .addToAnnotations(VolumeBindings.STORAGE_PROVISIONER, provisioner)
                        .addToAnnotations(VolumeBindings.BETA_STORAGE_PROVISIONER, provisioner).endMetadata().build())
                .update();
        events.normal(claim, "ExternalProvisioning", "Waiting for a volume to be created either by the external "
                + "provisioner '" + provisioner + "' or manually by the system administrator. If volume creation is "
                + "delayed, please verify that the provisioner is running and correctly registered.");
    }

    /** A volume the controller bound is freed; one its creator reserved keeps the reservation by name. */
    private void unbind(PersistentVolume volume) {
        PersistentVolumeBuilder b = new PersistentVolumeBuilder(volume);
        if (VolumeBindings.hasAnnotation(volume, VolumeBindings.BOUND_BY_CONTROLLER)) {
            b.editSpec().withClaimRef(null).endSpec().editMetadata()
                    .removeFromAnnotations(VolumeBindings.BOUND_BY_CONTROLLER).endMetadata();
        } else {
            b.editSpec().editClaimRef().withUid(null).endClaimRef().endSpec();
        }
        volumePhase(client.persistentVolumes().resource(b.build()).update(), "Available", null);
    }

    @Override
    public void close() {
        if (volumeLoop != null) {
            volumeLoop.close();
        }
        if (claimLoop != null) {
            claimLoop.close();
        }
    }
}
