package dev.konductor.controllers.provisioner;

import dev.konductor.api.storage.VolumeBindings;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.Map;
import java.util.Optional;

/**
 * The volumes the hostPath provisioner makes, as k3s's local-path provisioner shapes them: a
 * directory {@code ROOT/pvc-<claim uid>} on one node (the kubelet creates it on first mount,
 * {@code DirectoryOrCreate}), pinned there by node affinity, reserved for its claim, with the
 * class's reclaim policy and mount options. Pure.
 */
final class HostPathVolumes {

    static final String PROVISIONER = "konductor.dev/hostpath";
    /** Keeps a provisioned volume until the provisioner has removed its directory. */
    static final String FINALIZER = "external-provisioner.volume.kubernetes.io/finalizer";
    static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
    /** A class parameter naming the directory on each node under which its volumes live. */
    static final String PATH_PARAMETER = "path";

    private HostPathVolumes() {
    }

    /** The volume's name: upstream's for provisioned volumes. */
    static String volumeName(PersistentVolumeClaim claim) {
        return "pvc-" + claim.getMetadata().getUid();
    }

    static PersistentVolume volumeFor(PersistentVolumeClaim claim, StorageClass storageClass, String node,
                                      String defaultRoot) {
        String root = Optional.ofNullable(storageClass.getParameters()).map(p -> p.get(PATH_PARAMETER))
                .filter(p -> !p.isBlank()).orElse(defaultRoot);
        String name = volumeName(claim);
        Map<String, Quantity> requests = claim.getSpec().getResources().getRequests();
        String reclaim = storageClass.getReclaimPolicy() == null ? "Delete" : storageClass.getReclaimPolicy();
        return new PersistentVolumeBuilder().withNewMetadata().withName(name)
                .addToAnnotations(VolumeBindings.PROVISIONED_BY, PROVISIONER)
                .addToFinalizers(FINALIZER).endMetadata()
                .withNewSpec()
                .addToCapacity("storage", requests.get("storage"))
                .withAccessModes(claim.getSpec().getAccessModes())
                .withPersistentVolumeReclaimPolicy(reclaim)
                .withStorageClassName(storageClass.getMetadata().getName())
                .withMountOptions(storageClass.getMountOptions())
                .withVolumeMode(claim.getSpec().getVolumeMode())
                .withNewHostPath().withPath(stripTrailingSlash(root) + "/" + name).withType("DirectoryOrCreate")
                .endHostPath()
                .withNewClaimRef().withKind("PersistentVolumeClaim").withApiVersion("v1")
                .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                .withUid(claim.getMetadata().getUid()).withResourceVersion(claim.getMetadata().getResourceVersion())
                .endClaimRef()
                .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                .withKey(HOSTNAME_LABEL).withOperator("In").withValues(node).endMatchExpression()
                .endNodeSelectorTerm().endRequired().endNodeAffinity()
                .endSpec().build();
    }

    /** The node a provisioned volume lives on, from its node affinity. */
    static Optional<String> nodeOf(PersistentVolume volume) {
        if (volume.getSpec().getNodeAffinity() == null || volume.getSpec().getNodeAffinity().getRequired() == null) {
            return Optional.empty();
        }
        for (NodeSelectorTerm term : volume.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms()) {
            for (NodeSelectorRequirement r : term.getMatchExpressions()) {
                if (HOSTNAME_LABEL.equals(r.getKey()) && "In".equals(r.getOperator()) && r.getValues().size() == 1) {
                    return Optional.of(r.getValues().getFirst());
                }
            }
        }
        return Optional.empty();
    }

    static boolean ours(PersistentVolume volume) {
        return PROVISIONER.equals(VolumeBindings.annotation(volume.getMetadata().getAnnotations(),
                VolumeBindings.PROVISIONED_BY)) && volume.getSpec().getHostPath() != null;
    }

    /** The node label value a node is matched by (its hostname label, else its name). */
    static String hostnameOf(io.fabric8.kubernetes.api.model.Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        String hostname = labels == null ? null : labels.get(HOSTNAME_LABEL);
        return hostname == null ? node.getMetadata().getName() : hostname;
    }

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
