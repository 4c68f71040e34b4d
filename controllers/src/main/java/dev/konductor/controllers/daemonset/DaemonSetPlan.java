package dev.konductor.controllers.daemonset;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one sync of a DaemonSet should do, as pure functions of the cached state: which nodes need
 * a daemon pod, which pods must go (on nodes they no longer belong on, duplicates, failed ones,
 * unscheduled ones whose node is gone), and the status the DaemonSet should report.
 */
final class DaemonSetPlan {

    private DaemonSetPlan() {
    }

    /**
     * @param nodesNeedingPods nodes to create a daemon pod on
     * @param podsToDelete     pods to delete
     * @param failedPods       the failed pods among {@code podsToDelete} (each gets a warning event)
     */
    record Manage(List<String> nodesNeedingPods, List<Pod> podsToDelete, List<Pod> failedPods) {
        boolean isEmpty() {
            return nodesNeedingPods.isEmpty() && podsToDelete.isEmpty();
        }
    }

    /** The verdict for every node, by name, in name order. */
    static Map<String, NodeEligibility.Verdict> verdicts(DaemonSet ds, List<Node> nodes) {
        Map<String, NodeEligibility.Verdict> verdicts = new TreeMap<>();
        for (Node node : nodes) {
            verdicts.put(node.getMetadata().getName(), NodeEligibility.of(node, ds.getSpec().getTemplate().getSpec()));
        }
        return verdicts;
    }

    /**
     * The daemon pods by the node they are on or meant for, leaving out pods that have both
     * finished and been deleted (they only wait for the kubelet to let go of them).
     */
    static Map<String, List<Pod>> byNode(List<Pod> pods) {
        Map<String, List<Pod>> byNode = new TreeMap<>();
        for (Pod pod : pods) {
            if (DaemonPods.terminating(pod) && DaemonPods.terminal(pod)) {
                continue;
            }
            NodeEligibility.targetNode(pod).ifPresent(node -> byNode.computeIfAbsent(node, n -> new ArrayList<>())
                    .add(pod));
        }
        byNode.values().forEach(list -> list.sort(DaemonPods.OLDEST_BOUND_FIRST));
        return byNode;
    }

    /** Upstream's manage: one running daemon pod on each eligible node, none elsewhere. */
    static Manage manage(DaemonSet ds, Map<String, NodeEligibility.Verdict> verdicts,
                         Map<String, List<Pod>> nodeToPods, String hash, Instant now) {
        List<String> create = new ArrayList<>();
        List<Pod> delete = new ArrayList<>();
        List<Pod> failed = new ArrayList<>();
        boolean surge = allowsSurge(ds);
        int minReadySeconds = minReadySeconds(ds);
        verdicts.forEach((node, verdict) -> {
            List<Pod> pods = nodeToPods.getOrDefault(node, List.of());
            if (verdict.shouldRun() && pods.isEmpty()) {
                create.add(node);
            } else if (verdict.shouldContinueRunning()) {
                List<Pod> running = new ArrayList<>();
                for (Pod pod : pods) {
                    if (DaemonPods.terminating(pod)) {
                        continue;
                    }
                    if (DaemonPods.terminal(pod)) {
                        delete.add(pod);
                        if (DaemonPods.phase(pod).equals("Failed")) {
                            failed.add(pod);
                        }
                    } else {
                        running.add(pod);
                    }
                }
                pruneExtras(running, surge, verdict.shouldRun(), hash, minReadySeconds, now, node, create, delete);
            } else {
                pods.stream().filter(p -> !DaemonPods.terminating(p)).forEach(delete::add);
            }
        });
        // pods never bound whose node is gone will never run anywhere
        nodeToPods.forEach((node, pods) -> {
            if (!verdicts.containsKey(node)) {
                pods.stream().filter(p -> !DaemonPods.terminating(p))
                        .filter(p -> p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty())
                        .forEach(delete::add);
            }
        });
        return new Manage(create, delete, failed);
    }

    /**
     * Without surge only the oldest pod stays. With surge, an old and a new pod may run side by
     * side while the new one is not yet available and the old one is ready; otherwise only the
     * oldest pod of the current revision stays.
     */
    private static void pruneExtras(List<Pod> running, boolean surge, boolean shouldRun, String hash,
                                    int minReadySeconds, Instant now, String node, List<String> create,
                                    List<Pod> delete) {
        running.sort(DaemonPods.OLDEST_BOUND_FIRST);
        if (!surge) {
            if (running.size() > 1) {
                delete.addAll(running.subList(1, running.size()));
            }
            return;
        }
        if (running.size() <= 1) {
            if (running.isEmpty() && shouldRun) {
                create.add(node);
            }
            return;
        }
        Pod oldestNew = null;
        Pod oldestOld = null;
        for (Pod pod : running) {
            boolean isNew = DaemonPods.updated(pod, hash, null);
            if (isNew && oldestNew == null) {
                oldestNew = pod;
            } else if (!isNew && oldestOld == null) {
                oldestOld = pod;
            } else {
                delete.add(pod);
            }
        }
        if (oldestNew != null && oldestOld != null
                && (!DaemonPods.ready(oldestOld) || DaemonPods.available(oldestNew, minReadySeconds, now))) {
            delete.add(oldestOld);
        }
    }

    /** The status upstream reports for these pods on these nodes. */
    static DaemonSetStatus status(DaemonSet ds, Map<String, NodeEligibility.Verdict> verdicts,
                                  Map<String, List<Pod>> nodeToPods, String hash, int collisionCount, Instant now) {
        int desired = 0;
        int current = 0;
        int misscheduled = 0;
        int ready = 0;
        int available = 0;
        int updated = 0;
        String generation = templateGeneration(ds);
        int minReadySeconds = minReadySeconds(ds);
        for (Map.Entry<String, NodeEligibility.Verdict> entry : verdicts.entrySet()) {
            List<Pod> pods = nodeToPods.getOrDefault(entry.getKey(), List.of());
            boolean scheduled = !pods.isEmpty();
            if (!entry.getValue().shouldRun()) {
                if (scheduled) {
                    misscheduled++;
                }
                continue;
            }
            desired++;
            if (!scheduled) {
                continue;
            }
            current++;
            Pod pod = pods.stream().sorted(DaemonPods.OLDEST_BOUND_FIRST).findFirst().orElseThrow();
            if (DaemonPods.ready(pod)) {
                ready++;
                if (DaemonPods.available(pod, minReadySeconds, now)) {
                    available++;
                }
            }
            if (DaemonPods.updated(pod, hash, generation)) {
                updated++;
            }
        }
        DaemonSetStatus old = ds.getStatus();
        return new DaemonSetStatusBuilder()
                .withConditions(old == null ? null : old.getConditions())
                .withCollisionCount(collisionCount == 0 && (old == null || old.getCollisionCount() == null) ? null
                        : collisionCount)
                .withDesiredNumberScheduled(desired)
                .withCurrentNumberScheduled(current)
                .withNumberMisscheduled(misscheduled)
                .withNumberReady(ready)
                .withNumberAvailable(available)
                .withNumberUnavailable(desired - available)
                .withUpdatedNumberScheduled(updated)
                .withObservedGeneration(ds.getMetadata().getGeneration())
                .build();
    }

    /** When the next pod turns from ready to available, if one is waiting out minReadySeconds. */
    static Optional<Instant> nextAvailability(DaemonSet ds, Map<String, List<Pod>> nodeToPods, Instant now) {
        return nodeToPods.values().stream().flatMap(List::stream)
                .flatMap(p -> DaemonPods.availableAt(p, minReadySeconds(ds), now).stream())
                .min(Instant::compareTo);
    }

    /** The names of the revisions some live pod still runs (their history must stay). */
    static Set<String> liveHashes(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getLabels())
                .filter(labels -> labels != null && labels.containsKey(
                        dev.konductor.controllers.history.Revisions.POD_REVISION_LABEL))
                .map(labels -> labels.get(dev.konductor.controllers.history.Revisions.POD_REVISION_LABEL))
                .collect(Collectors.toSet());
    }

    static int minReadySeconds(DaemonSet ds) {
        Integer seconds = ds.getSpec().getMinReadySeconds();
        return seconds == null ? 0 : seconds;
    }

    static String templateGeneration(DaemonSet ds) {
        Map<String, String> annotations = ds.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(DaemonPods.TEMPLATE_GENERATION_ANNOTATION);
    }

    static boolean rollingUpdate(DaemonSet ds) {
        return ds.getSpec().getUpdateStrategy() == null || ds.getSpec().getUpdateStrategy().getType() == null
                || "RollingUpdate".equals(ds.getSpec().getUpdateStrategy().getType());
    }

    /** True if a rolling update may start a new pod on a node before the old one goes (maxSurge is not 0). */
    static boolean allowsSurge(DaemonSet ds) {
        return rollingUpdate(ds) && scaled(rolling(ds).map(RollingUpdateDaemonSet::getMaxSurge).orElse(null), 1,
                0) > 0;
    }

    static Optional<RollingUpdateDaemonSet> rolling(DaemonSet ds) {
        return Optional.ofNullable(ds.getSpec().getUpdateStrategy()).map(s -> s.getRollingUpdate());
    }

    /** An int-or-percent of {@code total}, percentages rounded up (upstream's GetScaledValueFromIntOrPercent). */
    static int scaled(IntOrString value, int total, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal();
        if (text == null || !text.endsWith("%")) {
            return fallback;
        }
        try {
            int percent = Integer.parseInt(text.substring(0, text.length() - 1).trim());
            return (int) Math.ceil(percent * (double) total / 100.0);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
