package dev.konductor.controllers.replicaset;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's ranking of which pods a ReplicaSet deletes first when it scales down (the earlier
 * in this order, the sooner deleted):
 * <ol>
 *   <li>unassigned before assigned;</li>
 *   <li>Pending before Unknown before Running;</li>
 *   <li>not ready before ready;</li>
 *   <li>lower {@code controller.kubernetes.io/pod-deletion-cost} first;</li>
 *   <li>more related pods on the same node first (spread what is doubled up);</li>
 *   <li>both ready: ready for less time first, in log2 buckets of time;</li>
 *   <li>more container restarts first;</li>
 *   <li>newer first, in log2 buckets of age; ties in a bucket by uid.</li>
 * </ol>
 */
final class PodDeletionOrder implements Comparator<Pod> {

    static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

    private final Map<String, Integer> podsOnNode;
    private final Instant now;

    /**
     * @param podsOnNode how many active pods of this ReplicaSet's owner (it and its siblings)
     *                   run on each node; a pod's rank is the count on its node
     */
    PodDeletionOrder(Map<String, Integer> podsOnNode, Instant now) {
        this.podsOnNode = podsOnNode;
        this.now = now;
    }

    /** The {@code count} pods to delete first. */
    List<Pod> firstToDelete(List<Pod> pods, int count) {
        if (count >= pods.size()) {
            return List.copyOf(pods);
        }
        return pods.stream().sorted(this).limit(count).toList();
    }

    @Override
    public int compare(Pod a, Pod b) {
        boolean aAssigned = !nodeName(a).isEmpty();
        boolean bAssigned = !nodeName(b).isEmpty();
        if (aAssigned != bAssigned) {
            return aAssigned ? 1 : -1;
        }
        int byPhase = Integer.compare(phaseOrdinal(a), phaseOrdinal(b));
        if (byPhase != 0) {
            return byPhase;
        }
        boolean aReady = PodStates.isReady(a);
        boolean bReady = PodStates.isReady(b);
        if (aReady != bReady) {
            return aReady ? 1 : -1;
        }
        int byCost = Integer.compare(deletionCost(a), deletionCost(b));
        if (byCost != 0) {
            return byCost;
        }
        int byRank = Integer.compare(rank(b), rank(a));
        if (byRank != 0) {
            return byRank;
        }
        if (aReady) {
            Optional<Instant> aSince = PodStates.readySince(a);
            Optional<Instant> bSince = PodStates.readySince(b);
            if (!aSince.equals(bSince)) {
                int byReadyTime = newerFirst(aSince.orElse(null), bSince.orElse(null), a, b);
                if (byReadyTime != 0) {
                    return byReadyTime;
                }
            }
        }
        int bySidecarRestarts = Integer.compare(maxRestarts(b, true), maxRestarts(a, true));
        if (bySidecarRestarts != 0) {
            return bySidecarRestarts;
        }
        int byRestarts = Integer.compare(maxRestarts(b, false), maxRestarts(a, false));
        if (byRestarts != 0) {
            return byRestarts;
        }
        Instant aCreated = created(a);
        Instant bCreated = created(b);
        if (!java.util.Objects.equals(aCreated, bCreated)) {
            return newerFirst(aCreated, bCreated, a, b);
        }
        return 0;
    }

    /**
     * Later times first; an unknown time before any known one. Times in the same power-of-two
     * bucket of age count as equal and are ordered by uid, so that scale-down spreads over
     * pods of similar age instead of always taking the very newest.
     */
    private int newerFirst(Instant a, Instant b, Pod podA, Pod podB) {
        if (a == null || b == null) {
            return a == null && b == null ? 0 : a == null ? -1 : 1;
        }
        long bucketDiff = ageBucket(a) - ageBucket(b);
        if (bucketDiff == 0) {
            return uid(podA).compareTo(uid(podB));
        }
        return bucketDiff < 0 ? -1 : 1;
    }

    private long ageBucket(Instant t) {
        long nanos = Duration.between(t, now).toNanos();
        return nanos <= 0 ? -1 : 63 - Long.numberOfLeadingZeros(nanos);
    }

    private int rank(Pod pod) {
        return podsOnNode.getOrDefault(nodeName(pod), 0);
    }

    private static int phaseOrdinal(Pod pod) {
        return switch (PodStates.phase(pod)) {
            case "Unknown" -> 1;
            case "Running" -> 2;
            default -> 0;
        };
    }

    static int deletionCost(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(DELETION_COST);
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The most restarts of a regular container, or of a sidecar (an init container restarted Always). */
    private static int maxRestarts(Pod pod, boolean sidecars) {
        if (pod.getStatus() == null) {
            return 0;
        }
        List<ContainerStatus> statuses = orEmpty(sidecars ? pod.getStatus().getInitContainerStatuses()
                : pod.getStatus().getContainerStatuses());
        java.util.Set<String> sidecarNames = new java.util.HashSet<>();
        if (sidecars && pod.getSpec() != null) {
            orEmpty(pod.getSpec().getInitContainers()).stream().filter(c -> "Always".equals(c.getRestartPolicy()))
                    .forEach(c -> sidecarNames.add(c.getName()));
        }
        int max = 0;
        for (ContainerStatus s : statuses) {
            if (!sidecars || sidecarNames.contains(s.getName())) {
                max = Math.max(max, s.getRestartCount() == null ? 0 : s.getRestartCount());
            }
        }
        return max;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String nodeName(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "" : pod.getSpec().getNodeName();
    }

    private static Instant created(Pod pod) {
        String t = pod.getMetadata().getCreationTimestamp();
        return t == null || t.isEmpty() ? null : Instant.parse(t);
    }

    private static String uid(Pod pod) {
        return pod.getMetadata().getUid() == null ? "" : pod.getMetadata().getUid();
    }
}
