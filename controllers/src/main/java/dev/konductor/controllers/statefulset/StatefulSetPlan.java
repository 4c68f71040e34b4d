package dev.konductor.controllers.statefulset;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One sync of a StatefulSet as a pure function: given the set, its current and update
 * revisions and the pods and claims in the cache, the ordered actions to take now and the status
 * to report. The actions follow upstream's rules:
 * <ul>
 *   <li>each ordinal in range gets its pod, created from the update revision (or the current one
 *       below a rolling update's partition); a failed or succeeded pod is deleted to be recreated;</li>
 *   <li>with OrderedReady, pod N+1 is created only once pods 0..N are Running and Ready (and
 *       available), and nothing else happens while one is not; with Parallel, all at once;</li>
 *   <li>pods beyond the range are deleted from the highest ordinal down, one at a time once all
 *       others are healthy (OrderedReady), or all at once (Parallel);</li>
 *   <li>a rolling update deletes the highest-ordinal pod not on the update revision, down to the
 *       partition, one at a time and only while the ones above it are healthy; OnDelete waits
 *       for the user to delete pods.</li>
 * </ul>
 */
final class StatefulSetPlan {

    private StatefulSetPlan() {
    }

    /** One side effect, performed in order; the first that fails ends the sync. */
    sealed interface Action {
        Pod pod();
    }

    /** Create the pod's missing claims, then the pod. */
    record CreatePod(Pod pod) implements Action {
    }

    record DeletePod(Pod pod) implements Action {
    }

    /** Write the pod back with its identity labels put right. */
    record UpdatePod(Pod pod) implements Action {
    }

    /** Create the pod's claims that do not exist (a pending pod may be waiting for them). */
    record CreateClaims(Pod pod) implements Action {
    }

    /** Set the owner references of the pod's claims as the retention policy wants them. */
    record FixClaimOwners(Pod pod) implements Action {
    }

    /**
     * @param claims the cached claim of a name, if any
     */
    record Inputs(StatefulSet set, PodTemplateSpec currentTemplate, String currentRevision,
                  PodTemplateSpec updateTemplate, String updateRevision, List<Pod> pods,
                  Function<String, Optional<PersistentVolumeClaim>> claims, Instant now) {
    }

    static List<Action> plan(Inputs in) {
        StatefulSet set = in.set();
        boolean ordered = !"Parallel".equals(set.getSpec().getPodManagementPolicy());
        int start = StatefulPods.startOrdinal(set);
        int count = StatefulPods.replicas(set);
        int minReadySeconds = minReadySeconds(set);
        Pod[] slots = new Pod[count];
        List<Pod> condemned = new ArrayList<>();
        for (Pod pod : in.pods()) {
            int ordinal = StatefulPods.ordinal(pod);
            if (ordinal >= start && ordinal < start + count) {
                slots[ordinal - start] = pod;
            } else {
                condemned.add(pod);
            }
        }
        condemned.sort(Comparator.comparingInt(StatefulPods::ordinal));
        Pod firstUnhealthy = firstUnhealthy(slots, condemned);
        List<Action> actions = new ArrayList<>();

        for (int i = 0; i < count; i++) {
            int ordinal = start + i;
            Pod pod = slots[i];
            if (pod != null && StatefulPods.finished(pod)) {
                if (!StatefulPods.terminating(pod)) {
                    actions.add(new DeletePod(pod)); // recreated once it is gone
                }
                if (ordered) {
                    return actions;
                }
                continue;
            }
            if (pod == null) {
                Pod fresh = versionedPod(in, ordinal);
                if (claimsStale(in, fresh)) {
                    if (ordered) {
                        return actions;
                    }
                    continue;
                }
                actions.add(new CreatePod(fresh));
                if (ordered) {
                    return actions;
                }
                continue;
            }
            if ("Pending".equals(StatefulPods.phase(pod)) && missingClaims(in, ordinal)) {
                actions.add(new CreateClaims(pod));
            }
            if (ordered && (StatefulPods.terminating(pod) || !StatefulPods.runningAndReady(pod)
                    || !StatefulPods.runningAndAvailable(pod, minReadySeconds, in.now()))) {
                return actions;
            }
            if (!StatefulPods.identityMatches(set, pod)) {
                actions.add(new UpdatePod(StatefulPods.withIdentity(pod)));
            }
            if (!claimOwnersUpToDate(in, pod)) {
                actions.add(new FixClaimOwners(pod));
            }
        }

        // claims of pods about to be scaled away get the pod as owner first, so they go with it
        for (Pod pod : condemned) {
            if (!claimOwnersUpToDate(in, pod)) {
                actions.add(new FixClaimOwners(pod));
            }
        }
        for (int target = condemned.size() - 1; target >= 0; target--) {
            Pod pod = condemned.get(target);
            if (StatefulPods.terminating(pod)) {
                if (ordered) {
                    return actions;
                }
                continue;
            }
            if (ordered && pod != firstUnhealthy && (!StatefulPods.runningAndReady(pod)
                    || !StatefulPods.runningAndAvailable(pod, minReadySeconds, in.now()))) {
                return actions;
            }
            actions.add(new DeletePod(pod));
            if (ordered) {
                return actions;
            }
        }

        if (!rollingUpdate(set)) {
            return actions; // OnDelete: pods are replaced when the user deletes them
        }
        int updateMin = partition(set);
        for (int i = count - 1; i >= Math.max(0, updateMin); i--) {
            Pod pod = slots[i];
            if (pod == null) {
                return actions; // being created this round
            }
            if (!StatefulPods.revision(pod).equals(in.updateRevision()) && !StatefulPods.terminating(pod)) {
                actions.add(new DeletePod(pod));
                return actions;
            }
            if (!StatefulPods.healthy(pod)) {
                return actions;
            }
        }
        return actions;
    }

    /** The pod for an ordinal: below the partition of a rolling update it keeps the current revision. */
    private static Pod versionedPod(Inputs in, int ordinal) {
        StatefulSet set = in.set();
        if (rollingUpdate(set) && ordinal < StatefulPods.startOrdinal(set) + partition(set)) {
            return StatefulPods.newPod(set, in.currentTemplate(), in.currentRevision(), ordinal);
        }
        return StatefulPods.newPod(set, in.updateTemplate(), in.updateRevision(), ordinal);
    }

    private static Pod firstUnhealthy(Pod[] slots, List<Pod> condemned) {
        for (Pod pod : slots) {
            if (pod == null || !StatefulPods.healthy(pod)) {
                return pod;
            }
        }
        return condemned.stream().filter(p -> !StatefulPods.healthy(p)).findFirst().orElse(null);
    }

    private static boolean claimsStale(Inputs in, Pod fresh) {
        int ordinal = StatefulPods.ordinal(fresh);
        return StatefulPods.claims(in.set(), ordinal).stream()
                .flatMap(c -> in.claims().apply(c.getMetadata().getName()).stream())
                .anyMatch(c -> ClaimRetention.stale(in.set(), fresh.getMetadata().getName(), null, c));
    }

    private static boolean missingClaims(Inputs in, int ordinal) {
        return StatefulPods.claims(in.set(), ordinal).stream()
                .anyMatch(c -> in.claims().apply(c.getMetadata().getName()).isEmpty());
    }

    private static boolean claimOwnersUpToDate(Inputs in, Pod pod) {
        return StatefulPods.claims(in.set(), StatefulPods.ordinal(pod)).stream()
                .flatMap(c -> in.claims().apply(c.getMetadata().getName()).stream())
                .allMatch(c -> ClaimRetention.upToDate(in.set(), pod, c));
    }

    /**
     * The status for the pods as they are: counts by readiness and revision, the revisions and
     * collision count; once every pod is updated and ready, the update revision becomes current.
     */
    static StatefulSetStatus status(Inputs in, int collisionCount) {
        StatefulSet set = in.set();
        int minReadySeconds = minReadySeconds(set);
        int replicas = 0;
        int ready = 0;
        int available = 0;
        int current = 0;
        int updated = 0;
        for (Pod pod : in.pods()) {
            replicas++;
            if (StatefulPods.runningAndReady(pod)) {
                ready++;
                if (StatefulPods.runningAndAvailable(pod, minReadySeconds, in.now())) {
                    available++;
                }
            }
            if (!StatefulPods.terminating(pod)) {
                String revision = StatefulPods.revision(pod);
                if (revision.equals(in.currentRevision())) {
                    current++;
                }
                if (revision.equals(in.updateRevision())) {
                    updated++;
                }
            }
        }
        String currentRevision = in.currentRevision();
        if (rollingUpdate(set) && updated == replicas && ready == replicas) {
            current = updated;
            currentRevision = in.updateRevision();
        }
        StatefulSetStatus old = set.getStatus();
        return new StatefulSetStatusBuilder()
                .withConditions(old == null ? null : old.getConditions())
                .withObservedGeneration(set.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available)
                .withCurrentReplicas(current)
                .withUpdatedReplicas(updated)
                .withCurrentRevision(currentRevision)
                .withUpdateRevision(in.updateRevision())
                .withCollisionCount(collisionCount)
                .build();
    }

    /** When the next ready pod becomes available, if one is waiting out minReadySeconds. */
    static Optional<Instant> nextAvailability(Inputs in) {
        int minReadySeconds = minReadySeconds(in.set());
        return in.pods().stream().filter(StatefulPods::runningAndReady)
                .flatMap(p -> StatefulPods.availableAt(p, minReadySeconds).stream())
                .filter(at -> at.isAfter(in.now())).min(Instant::compareTo);
    }

    static boolean rollingUpdate(StatefulSet set) {
        return set.getSpec().getUpdateStrategy() == null || set.getSpec().getUpdateStrategy().getType() == null
                || "RollingUpdate".equals(set.getSpec().getUpdateStrategy().getType());
    }

    static int partition(StatefulSet set) {
        if (set.getSpec().getUpdateStrategy() == null || set.getSpec().getUpdateStrategy().getRollingUpdate() == null
                || set.getSpec().getUpdateStrategy().getRollingUpdate().getPartition() == null) {
            return 0;
        }
        return set.getSpec().getUpdateStrategy().getRollingUpdate().getPartition();
    }

    static int minReadySeconds(StatefulSet set) {
        return set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
    }
}
