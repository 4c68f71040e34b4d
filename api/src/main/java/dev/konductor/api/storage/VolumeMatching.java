package dev.konductor.api.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import dev.konductor.api.meta.LabelSelector;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Which volume a claim should bind to, as upstream's binder chooses: a volume already reserved for
 * the claim (its claimRef names it) wins; otherwise the smallest Available volume that is big
 * enough, of the claim's class, volume mode and selector, preferring volumes whose access modes
 * are the fewest that still include the claim's. Pure; used by the persistent volume controller
 * (any node) and by the scheduler (one node at a time).
 */
public final class VolumeMatching {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private VolumeMatching() {
    }

    /**
     * @param onNode       null for the controller; for the scheduler, whether a volume's node
     *                     affinity admits the node being considered
     * @param delayBinding the claim's class binds when the first pod is scheduled: the controller
     *                     then leaves unreserved volumes to the scheduler
     * @param excluded     names of volumes already chosen for other claims of the same pod
     */
    public static Optional<PersistentVolume> bestMatch(PersistentVolumeClaim claim, Collection<PersistentVolume> volumes,
                                                       Predicate<PersistentVolume> onNode, boolean delayBinding,
                                                       Set<String> excluded) {
        Set<String> wanted = modes(claim.getSpec().getAccessModes());
        Map<Set<String>, List<PersistentVolume>> byModes = new LinkedHashMap<>();
        for (PersistentVolume volume : volumes) {
            Set<String> modes = modes(volume.getSpec().getAccessModes());
            if (modes.containsAll(wanted)) {
                byModes.computeIfAbsent(modes, m -> new ArrayList<>()).add(volume);
            }
        }
        List<Set<String>> groups = new ArrayList<>(byModes.keySet());
        groups.sort(Comparator.comparingInt(Set::size));
        for (Set<String> group : groups) {
            Optional<PersistentVolume> match = matchAmong(claim, byModes.get(group), onNode, delayBinding, excluded);
            if (match.isPresent()) {
                return match;
            }
        }
        return Optional.empty();
    }

    private static Optional<PersistentVolume> matchAmong(PersistentVolumeClaim claim, List<PersistentVolume> volumes,
                                                         Predicate<PersistentVolume> onNode, boolean delayBinding,
                                                         Set<String> excluded) {
        BigDecimal requested = storage(claim.getSpec().getResources() == null ? null
                : claim.getSpec().getResources().getRequests());
        String wantedClass = VolumeBindings.claimClass(claim);
        LabelSelector selector = claim.getSpec().getSelector() == null ? null
                : LabelSelector.fromStructured(MAPPER.valueToTree(claim.getSpec().getSelector()));
        PersistentVolume smallest = null;
        BigDecimal smallestSize = null;
        for (PersistentVolume volume : volumes) {
            BigDecimal size = storage(volume.getSpec().getCapacity());
            if (excluded.contains(volume.getMetadata().getName())
                    || (volume.getSpec().getClaimRef() != null && !VolumeBindings.isBoundTo(volume, claim))
                    || size.compareTo(requested) < 0
                    || !mode(claim.getSpec().getVolumeMode()).equals(mode(volume.getSpec().getVolumeMode()))
                    || volume.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            boolean fitsNode = onNode == null || onNode.test(volume);
            if (VolumeBindings.isBoundTo(volume, claim)) {
                // reserved for this claim: it or nothing (a reserved volume off this node rules the node out)
                return fitsNode ? Optional.of(volume) : Optional.empty();
            }
            if (onNode == null && delayBinding) {
                continue;
            }
            if (!"Available".equals(phase(volume))
                    || (selector != null && !selector.matches(labels(volume)))
                    || !VolumeBindings.volumeClass(volume).equals(wantedClass)
                    || !fitsNode) {
                continue;
            }
            if (smallest == null || smallestSize.compareTo(size) > 0) {
                smallest = volume;
                smallestSize = size;
            }
        }
        return Optional.ofNullable(smallest);
    }

    /** Whether the volume can serve the claim at all: size, class and volume mode (for a requested volumeName). */
    public static Optional<String> mismatch(PersistentVolumeClaim claim, PersistentVolume volume) {
        BigDecimal requested = storage(claim.getSpec().getResources() == null ? null
                : claim.getSpec().getResources().getRequests());
        if (storage(volume.getSpec().getCapacity()).compareTo(requested) < 0) {
            return Optional.of("requested PV is too small");
        }
        if (!VolumeBindings.volumeClass(volume).equals(VolumeBindings.claimClass(claim))) {
            return Optional.of("storageClassName does not match");
        }
        if (!mode(claim.getSpec().getVolumeMode()).equals(mode(volume.getSpec().getVolumeMode()))) {
            return Optional.of("incompatible volumeMode");
        }
        return Optional.empty();
    }

    private static Set<String> modes(List<String> modes) {
        return modes == null ? Set.of() : new TreeSet<>(modes);
    }

    private static String mode(String volumeMode) {
        return volumeMode == null || volumeMode.isEmpty() ? "Filesystem" : volumeMode;
    }

    private static String phase(PersistentVolume volume) {
        return volume.getStatus() == null ? "" : String.valueOf(volume.getStatus().getPhase());
    }

    private static Map<String, String> labels(PersistentVolume volume) {
        return volume.getMetadata().getLabels() == null ? Map.of() : volume.getMetadata().getLabels();
    }

    private static BigDecimal storage(Map<String, Quantity> resources) {
        Quantity q = resources == null ? null : resources.get("storage");
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }
}
