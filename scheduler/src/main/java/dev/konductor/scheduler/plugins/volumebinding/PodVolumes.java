package dev.konductor.scheduler.plugins.volumebinding;

import dev.konductor.scheduler.framework.CycleState;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pod's claims in one scheduling cycle: those already bound (or naming their volume), those
 * of WaitForFirstConsumer classes still to bind, and for each node that passed the filter how
 * they would bind there.
 */
final class PodVolumes implements CycleState.Data {

    /**
     * How a pod's unbound claims bind on one node.
     *
     * @param existing  claim key to the available volume it takes
     * @param provision the claims to have a volume provisioned for on the node
     */
    record NodeBinding(Map<String, PersistentVolume> existing, List<PersistentVolumeClaim> provision) {

        boolean isEmpty() {
            return existing.isEmpty() && provision.isEmpty();
        }
    }

    final List<PersistentVolumeClaim> bound;
    final List<PersistentVolumeClaim> toBind;
    final Map<String, NodeBinding> byNode;

    PodVolumes(List<PersistentVolumeClaim> bound, List<PersistentVolumeClaim> toBind) {
        this(bound, toBind, new ConcurrentHashMap<>());
    }

    private PodVolumes(List<PersistentVolumeClaim> bound, List<PersistentVolumeClaim> toBind,
                       Map<String, NodeBinding> byNode) {
        this.bound = List.copyOf(bound);
        this.toBind = List.copyOf(toBind);
        this.byNode = byNode;
    }

    @Override
    public CycleState.Data copy() {
        return new PodVolumes(bound, toBind, new ConcurrentHashMap<>(byNode));
    }
}
