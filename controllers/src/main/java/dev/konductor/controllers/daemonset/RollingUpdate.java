package dev.konductor.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One step of a DaemonSet rolling update, as upstream takes it. Without surge, old pods are
 * deleted while fewer than maxUnavailable daemon pods are unavailable (the manage step then
 * creates their replacements); with surge, new pods are started next to old ones on up to
 * maxSurge nodes and an old pod is deleted once its replacement is available. Old pods that are
 * not available anyway are replaced at once, whatever the budget. Pure.
 */
final class RollingUpdate {

    private RollingUpdate() {
    }

    record Step(List<Pod> podsToDelete, List<String> nodesToCreate) {
        boolean isEmpty() {
            return podsToDelete.isEmpty() && nodesToCreate.isEmpty();
        }
    }

    /** The surge and unavailability budgets for a DaemonSet that should run on {@code desired} nodes. */
    record Budget(int maxSurge, int maxUnavailable) {
        static Budget of(DaemonSet ds, int desired) {
            RollingUpdateDaemonSet rolling = DaemonSetPlan.rolling(ds).orElse(null);
            int surge = DaemonSetPlan.scaled(rolling == null ? null : rolling.getMaxSurge(), desired, 0);
            int unavailable = DaemonSetPlan.scaled(rolling == null ? null : rolling.getMaxUnavailable(), desired, 1);
            if (surge == 0 && unavailable == 0) {
                unavailable = 1; // validation forbids both zero; never stall a rollout on it
            }
            return new Budget(surge, unavailable);
        }
    }

    static Step plan(DaemonSet ds, Map<String, NodeEligibility.Verdict> verdicts, Map<String, List<Pod>> nodeToPods,
                     String hash, Instant now) {
        int desired = (int) verdicts.values().stream().filter(NodeEligibility.Verdict::shouldRun).count();
        Budget budget = Budget.of(ds, desired);
        return budget.maxSurge() == 0
                ? withoutSurge(ds, verdicts, nodeToPods, hash, budget.maxUnavailable(), now)
                : withSurge(ds, verdicts, nodeToPods, hash, budget.maxSurge(), now);
    }

    private static Step withoutSurge(DaemonSet ds, Map<String, NodeEligibility.Verdict> verdicts,
                                     Map<String, List<Pod>> nodeToPods, String hash, int maxUnavailable,
                                     Instant now) {
        int minReadySeconds = DaemonSetPlan.minReadySeconds(ds);
        int unavailable = 0;
        List<Pod> replaceNow = new ArrayList<>();
        List<Pod> candidates = new ArrayList<>();
        for (String node : verdicts.keySet()) {
            List<Pod> pods = nodeToPods.get(node);
            if (pods == null) {
                continue;
            }
            OnNode onNode = OnNode.of(pods, hash, DaemonSetPlan.templateGeneration(ds));
            if (!onNode.unambiguous()) {
                unavailable++;
                continue;
            }
            if ((onNode.oldPod() == null) == (onNode.newPod() == null)) {
                unavailable++; // nothing there, or both: the manage step sorts it out
            } else if (onNode.newPod() != null) {
                if (!DaemonPods.available(onNode.newPod(), minReadySeconds, now)) {
                    unavailable++;
                }
            } else if (!DaemonPods.available(onNode.oldPod(), minReadySeconds, now)) {
                replaceNow.add(onNode.oldPod());
            } else if (unavailable < maxUnavailable) {
                candidates.add(onNode.oldPod());
            }
        }
        int room = Math.clamp(maxUnavailable - unavailable, 0, candidates.size());
        List<Pod> delete = new ArrayList<>(replaceNow);
        delete.addAll(candidates.subList(0, room));
        return new Step(delete, List.of());
    }

    private static Step withSurge(DaemonSet ds, Map<String, NodeEligibility.Verdict> verdicts,
                                  Map<String, List<Pod>> nodeToPods, String hash, int maxSurge, Instant now) {
        int minReadySeconds = DaemonSetPlan.minReadySeconds(ds);
        int surging = 0;
        List<Pod> delete = new ArrayList<>();
        List<String> createNow = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        for (Map.Entry<String, NodeEligibility.Verdict> entry : verdicts.entrySet()) {
            String node = entry.getKey();
            List<Pod> pods = nodeToPods.get(node);
            if (pods == null) {
                continue;
            }
            OnNode onNode = OnNode.of(pods, hash, DaemonSetPlan.templateGeneration(ds));
            if (!onNode.unambiguous()) {
                surging++;
                continue;
            }
            if (onNode.oldPod() == null) {
                continue; // up to date or empty: the manage step handles it
            }
            if (onNode.newPod() == null) {
                if (!DaemonPods.available(onNode.oldPod(), minReadySeconds, now)) {
                    if (entry.getValue().shouldRun()) {
                        createNow.add(node);
                    } else {
                        delete.add(onNode.oldPod());
                    }
                } else if (surging < maxSurge) {
                    candidates.add(node);
                }
            } else if (!DaemonPods.available(onNode.newPod(), minReadySeconds, now)) {
                surging++;
            } else {
                delete.add(onNode.oldPod());
            }
        }
        int room = Math.clamp(maxSurge - surging, 0, candidates.size());
        List<String> create = new ArrayList<>(createNow);
        create.addAll(candidates.subList(0, room));
        return new Step(delete, create);
    }

    /** The live pods on one node split by revision; not unambiguous when either kind appears twice. */
    private record OnNode(Pod newPod, Pod oldPod, boolean unambiguous) {
        static OnNode of(List<Pod> pods, String hash, String generation) {
            Pod newPod = null;
            Pod oldPod = null;
            for (Pod pod : pods) {
                if (DaemonPods.terminating(pod)) {
                    continue;
                }
                if (DaemonPods.updated(pod, hash, generation)) {
                    if (newPod != null) {
                        return new OnNode(null, null, false);
                    }
                    newPod = pod;
                } else {
                    if (oldPod != null) {
                        return new OnNode(null, null, false);
                    }
                    oldPod = pod;
                }
            }
            return new OnNode(newPod, oldPod, true);
        }
    }
}
