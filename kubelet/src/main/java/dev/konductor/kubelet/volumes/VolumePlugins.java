package dev.konductor.kubelet.volumes;

import dev.konductor.kubelet.objects.ObjectSource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which plugin serves a pod's volume (upstream's FindPluginBySpec), a PersistentVolumeClaim
 * resolved first to the PersistentVolume bound to it, with upstream's checks and messages:
 * the claim must be Bound, name its volume, and that volume's claimRef must point back at it.
 */
final class VolumePlugins {

    /** A plugin for the volume, or why there is none (yet). */
    sealed interface Resolution permits Found, Unprocessable {
    }

    record Found(PodVolume volume) implements Resolution {
    }

    record Unprocessable(String message) implements Resolution {
    }

    private VolumePlugins() {
    }

    static Resolution resolve(Pod pod, Volume volume, ObjectSource objects) {
        String name = volume.getName();
        if (volume.getEmptyDir() != null) {
            return new Found(new EmptyDirVolume(name, volume.getEmptyDir()));
        }
        if (volume.getHostPath() != null) {
            return new Found(new HostPathVolume(name, volume.getHostPath().getPath(), volume.getHostPath().getType(), false));
        }
        if (volume.getConfigMap() != null) {
            return new Found(new ConfigMapVolume(name, volume.getConfigMap()));
        }
        if (volume.getSecret() != null) {
            return new Found(new SecretVolume(name, volume.getSecret()));
        }
        if (volume.getDownwardAPI() != null) {
            return new Found(new DownwardApiVolume(name, volume.getDownwardAPI()));
        }
        if (volume.getProjected() != null) {
            return new Found(new ProjectedVolume(name, volume.getProjected()));
        }
        if (volume.getGitRepo() != null) {
            return new Found(new GitRepoVolume(name, volume.getGitRepo()));
        }
        if (volume.getPersistentVolumeClaim() != null) {
            return claim(pod.getMetadata().getNamespace(), volume.getPersistentVolumeClaim(), objects);
        }
        return new Unprocessable(noPlugin(name, "volume type \"" + typeOf(volume) + "\""));
    }

    /** Whether a set-up volume must be set up again on every sync (its content follows objects or the pod). */
    static boolean followsObjects(Volume volume) {
        return volume.getConfigMap() != null || volume.getSecret() != null || volume.getDownwardAPI() != null
                || volume.getProjected() != null;
    }

    private static Resolution claim(String namespace, PersistentVolumeClaimVolumeSource source, ObjectSource objects) {
        String prefix = "error processing PVC " + namespace + "/" + source.getClaimName() + ": ";
        boolean readOnly = Boolean.TRUE.equals(source.getReadOnly());
        try {
            Optional<PersistentVolumeClaim> found = objects.persistentVolumeClaim(namespace, source.getClaimName());
            if (found.isEmpty()) {
                return new Unprocessable(prefix + "failed to fetch PVC from API server: persistentvolumeclaims \""
                        + source.getClaimName() + "\" not found");
            }
            PersistentVolumeClaim claim = found.get();
            if (claim.getMetadata().getDeletionTimestamp() != null) {
                return new Unprocessable(prefix + "PVC is being deleted");
            }
            if (claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
                return new Unprocessable(prefix + "PVC is not bound");
            }
            String volumeName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
            if (volumeName == null || volumeName.isEmpty()) {
                return new Unprocessable(prefix + "PVC has empty pvc.Spec.VolumeName");
            }
            Optional<PersistentVolume> pv = objects.persistentVolume(volumeName);
            if (pv.isEmpty()) {
                return new Unprocessable(prefix + "failed to fetch PV " + volumeName + " from API server: persistentvolumes \""
                        + volumeName + "\" not found");
            }
            return persistentVolume(pv.get(), claim, readOnly, prefix);
        } catch (ObjectSource.Unavailable e) {
            return new Unprocessable(prefix + e.getMessage());
        }
    }

    private static Resolution persistentVolume(PersistentVolume pv, PersistentVolumeClaim claim, boolean readOnly, String prefix) {
        String name = pv.getMetadata().getName();
        var spec = pv.getSpec();
        if (spec.getClaimRef() == null) {
            return new Unprocessable(prefix + "found PV object " + name
                    + " but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim");
        }
        String claimUid = claim.getMetadata().getUid();
        if (!Objects.equals(Objects.toString(spec.getClaimRef().getUid(), ""), claimUid)) {
            return new Unprocessable(prefix + "found PV object " + name + " but its pv.Spec.ClaimRef.UID "
                    + Objects.toString(spec.getClaimRef().getUid(), "") + " does not point to claim.UID " + claimUid);
        }
        if ("Block".equals(spec.getVolumeMode())) {
            return new Unprocessable(prefix + "volume " + name + " has volumeMode Block, but is specified in volumeMounts");
        }
        if (spec.getHostPath() != null) {
            return new Found(new HostPathVolume(name, spec.getHostPath().getPath(), spec.getHostPath().getType(), readOnly));
        }
        if (spec.getLocal() != null) {
            return new Found(new LocalVolume(name, spec.getLocal().getPath(), readOnly));
        }
        return new Unprocessable(noPlugin(name, "persistent volume type \"" + typeOf(spec) + "\""));
    }

    private static String noPlugin(String volume, String type) {
        return "failed to get Plugin from volumeSpec for volume \"" + volume + "\" err=no volume plugin matched: " + type
                + " is not supported on this node";
    }

    /** The name of the one source field that is set (e.g. "ephemeral", "nfs"). */
    @SuppressWarnings("unchecked")
    private static String typeOf(Object source) {
        Map<String, Object> fields = Serialization.jsonMapper().convertValue(source, Map.class);
        return fields.entrySet().stream()
                .filter(e -> e.getValue() instanceof Map || e.getValue() instanceof List)
                .filter(e -> !e.getKey().equals("claimRef") && !e.getKey().equals("accessModes")
                        && !e.getKey().equals("mountOptions") && !e.getKey().equals("nodeAffinity")
                        && !e.getKey().equals("capacity"))
                .map(Map.Entry::getKey).findFirst().orElse("unknown");
    }
}
