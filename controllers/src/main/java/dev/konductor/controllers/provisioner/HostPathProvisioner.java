package dev.konductor.controllers.provisioner;

import dev.konductor.api.storage.VolumeBindings;
import dev.konductor.client.CoreEvents;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Handlers;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provisioner of the default StorageClass ({@value HostPathVolumes#PROVISIONER}), an external
 * provisioner in upstream's terms, like minikube's and k3s's: for a claim the binder has asked it
 * to serve (and, for WaitForFirstConsumer, the scheduler has given a node), it makes a hostPath
 * volume on that node reserved for the claim; the binder then binds them. When such a volume is
 * released under the Delete policy, or deleted by hand, a short-lived pod on its node removes the
 * directory ({@link CleanupPods}) before the volume goes.
 */
public final class HostPathProvisioner implements Controller {

    static final String NAME = "hostpath-provisioner";
    private static final Logger log = LoggerFactory.getLogger(HostPathProvisioner.class);
    private static final Duration CLEANUP_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration POLL = Duration.ofSeconds(1);

    private KubernetesClient client;
    private Clock clock;
    private CoreEvents events;
    private String defaultRoot;
    private Lister<PersistentVolumeClaim> claims;
    private Lister<PersistentVolume> volumes;
    private Lister<StorageClass> classes;
    private Lister<Node> nodes;
    private Lister<Pod> pods;
    private ControllerLoop claimLoop;
    private ControllerLoop volumeLoop;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        clock = context.clock();
        events = context.events(HostPathVolumes.PROVISIONER + "_" + NAME);
        defaultRoot = context.settings().hostPathStorageRoot();
        claims = context.informers().lister(PersistentVolumeClaim.class);
        volumes = context.informers().lister(PersistentVolume.class);
        classes = context.informers().lister(StorageClass.class);
        nodes = context.informers().lister(Node.class);
        pods = context.informers().lister(Pod.class);
        claimLoop = new ControllerLoop(NAME + "-claims", this::provision, context.settings().workers());
        volumeLoop = new ControllerLoop(NAME + "-volumes", this::reclaim, context.settings().workers());
        context.informers().of(PersistentVolumeClaim.class).addEventHandler(
                Handlers.onAddOrUpdate((PersistentVolumeClaim c) -> claimLoop.enqueue(Keys.of(c))));
        context.informers().of(PersistentVolume.class).addEventHandler(
                Handlers.onAddOrUpdate((PersistentVolume v) -> volumeLoop.enqueue(v.getMetadata().getName())));
        context.informers().of(Pod.class).addEventHandler(Handlers.onChange((Pod p) -> {
            String volume = p.getMetadata().getLabels() == null ? null
                    : p.getMetadata().getLabels().get(CleanupPods.LABEL);
            if (volume != null) {
                volumeLoop.enqueue(volume);
            }
        }));
        claimLoop.start(context.informers()::synced);
        volumeLoop.start(context.informers()::synced);
    }

    /** Makes the volume of a claim that waits for this provisioner. */
    Result provision(String key) {
        Optional<PersistentVolumeClaim> found = claims.get(key);
        if (found.isEmpty() || !wantsVolume(found.get())) {
            return Result.done();
        }
        PersistentVolumeClaim claim = found.get();
        Optional<StorageClass> storageClass = classes.get(VolumeBindings.claimClass(claim))
                .filter(c -> HostPathVolumes.PROVISIONER.equals(c.getProvisioner()));
        if (storageClass.isEmpty() || volumes.get(HostPathVolumes.volumeName(claim)).isPresent()) {
            return Result.done();
        }
        boolean delayed = VolumeBindings.WAIT_FOR_FIRST_CONSUMER.equals(storageClass.get().getVolumeBindingMode());
        String selected = VolumeBindings.annotation(claim.getMetadata().getAnnotations(), VolumeBindings.SELECTED_NODE);
        if (delayed && selected == null) {
            return Result.done(); // the scheduler picks the node when the first pod needs the claim
        }
        Optional<Node> node = selected != null ? nodes.get(selected) : anyReadyNode();
        if (node.isEmpty()) {
            return noNode(claim, selected);
        }
        events.normal(claim, "Provisioning", "External provisioner is provisioning volume for claim \"" + key + "\"");
        PersistentVolume volume = HostPathVolumes.volumeFor(claim, storageClass.get(),
                HostPathVolumes.hostnameOf(node.get()), defaultRoot);
        try {
            client.persistentVolumes().resource(volume).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                events.warning(claim, "ProvisioningFailed", "failed to provision volume with StorageClass \""
                        + storageClass.get().getMetadata().getName() + "\": " + e.getMessage());
                throw e;
            }
            return Result.done(); // made by an earlier attempt our cache has not seen yet
        }
        log.info("{}: provisioned volume={} claim={} node={}", NAME, volume.getMetadata().getName(), key,
                node.get().getMetadata().getName());
        events.normal(claim, "ProvisioningSucceeded", "Successfully provisioned volume " + volume.getMetadata().getName());
        return Result.done();
    }

    private static boolean wantsVolume(PersistentVolumeClaim claim) {
        String volumeName = claim.getSpec().getVolumeName();
        return claim.getMetadata().getDeletionTimestamp() == null && (volumeName == null || volumeName.isEmpty())
                && HostPathVolumes.PROVISIONER.equals(VolumeBindings.annotation(claim.getMetadata().getAnnotations(),
                VolumeBindings.STORAGE_PROVISIONER));
    }

    /** A selected node that is gone is given back to the scheduler, which picks another. */
    private Result noNode(PersistentVolumeClaim claim, String selected) {
        if (selected == null) {
            events.warning(claim, "ProvisioningFailed", "no ready node to provision a volume on");
            return Result.after(Duration.ofSeconds(15));
        }
        events.warning(claim, "ProvisioningFailed", "node \"" + selected + "\" not found; rescheduling");
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .resource(new PersistentVolumeClaimBuilder(claim).editMetadata()
                        .removeFromAnnotations(VolumeBindings.SELECTED_NODE).endMetadata().build()).update();
        return Result.done();
    }

    /** For Immediate classes: the first schedulable, Ready node by name. */
    private Optional<Node> anyReadyNode() {
        return nodes.list().stream()
                .filter(n -> n.getSpec() == null || !Boolean.TRUE.equals(n.getSpec().getUnschedulable()))
                .filter(n -> n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus()
                        .getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .min(Comparator.comparing(n -> n.getMetadata().getName()));
    }

    /**
     * Deletes a released volume of the Delete policy; once a volume of ours is being deleted (and
     * no longer bound), removes its directory on its node, then lets the volume go.
     */
    Result reclaim(String name) {
        Optional<PersistentVolume> found = volumes.get(name);
        if (found.isEmpty()) {
            // gone: its cleanup pod, if one is left, has done its work
            pods.get(CleanupPods.NAMESPACE, CleanupPods.HELPER_PREFIX + name).ifPresent(p -> deleteHelper(name));
            return Result.done();
        }
        if (!HostPathVolumes.ours(found.get())) {
            return Result.done();
        }
        PersistentVolume volume = found.get();
        String phase = volume.getStatus() == null ? "" : String.valueOf(volume.getStatus().getPhase());
        if (volume.getMetadata().getDeletionTimestamp() == null) {
            if ("Released".equals(phase) && "Delete".equals(volume.getSpec().getPersistentVolumeReclaimPolicy())) {
                client.persistentVolumes().withName(name).delete();
            }
            return Result.done();
        }
        if (!volume.getMetadata().getFinalizers().contains(HostPathVolumes.FINALIZER) || "Bound".equals(phase)) {
            return Result.done(); // a bound volume stays until its claim lets go, as pv-protection keeps it
        }
        return cleanUp(volume);
    }

    private Result cleanUp(PersistentVolume volume) {
        Optional<String> node = HostPathVolumes.nodeOf(volume)
                .flatMap(host -> nodes.list().stream().filter(n -> HostPathVolumes.hostnameOf(n).equals(host)).findFirst())
                .map(n -> n.getMetadata().getName());
        if (node.isEmpty()) {
            // the node and its disk are gone: nothing left to remove
            return release(volume);
        }
        Optional<Pod> helper = pods.get(CleanupPods.NAMESPACE, CleanupPods.name(volume));
        if (helper.isEmpty()) {
            client.pods().inNamespace(CleanupPods.NAMESPACE).resource(CleanupPods.podFor(volume, node.get())).create();
            return Result.after(POLL);
        }
        String phase = helper.get().getStatus() == null ? "" : helper.get().getStatus().getPhase();
        if ("Succeeded".equals(phase)) {
            // the helper pod goes once the volume has: until then it records that the data is gone
            return release(volume);
        }
        boolean timedOut = Instant.parse(helper.get().getMetadata().getCreationTimestamp())
                .plus(CLEANUP_TIMEOUT).isBefore(clock.instant());
        if ("Failed".equals(phase) || timedOut) {
            events.warning(volume, "VolumeFailedDelete", "the pod removing " + volume.getSpec().getHostPath().getPath()
                    + " on node " + node.get() + (timedOut ? " did not finish in time" : " failed") + "; retrying");
            deleteHelper(volume.getMetadata().getName());
            return Result.after(Duration.ofSeconds(30));
        }
        return Result.after(POLL);
    }

    private void deleteHelper(String volumeName) {
        client.pods().inNamespace(CleanupPods.NAMESPACE).withName(CleanupPods.HELPER_PREFIX + volumeName)
                .withGracePeriod(0).delete();
    }

    private Result release(PersistentVolume volume) {
        client.persistentVolumes().resource(new PersistentVolumeBuilder(volume).editMetadata()
                .removeFromFinalizers(HostPathVolumes.FINALIZER).endMetadata().build()).update();
        log.info("{}: deleted volume={} and its data", NAME, volume.getMetadata().getName());
        return Result.done();
    }

    @Override
    public void close() {
        if (claimLoop != null) {
            claimLoop.close();
        }
        if (volumeLoop != null) {
            volumeLoop.close();
        }
    }
}
