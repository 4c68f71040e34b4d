package dev.konductor.scheduler.preemption;

import dev.konductor.scheduler.framework.LabelMatcher;
import dev.konductor.scheduler.framework.PodInfo;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;

/** Splits would-be victims into those whose eviction breaks a PodDisruptionBudget and the rest. */
final class DisruptionBudgets {

    record Split(List<PodInfo> violating, List<PodInfo> nonViolating) {
    }

    private DisruptionBudgets() {
    }

    /**
     * Walks {@code pods} in order, spending each matching budget's disruptionsAllowed; a pod
     * that takes a budget below zero violates it. A budget with an empty selector matches no
     * pod, and a pod the budget already lists as disrupted costs nothing.
     */
    static Split split(List<PodInfo> pods, List<PodDisruptionBudget> budgets) {
        int[] allowed = new int[budgets.size()];
        List<LabelMatcher> selectors = new ArrayList<>();
        for (int i = 0; i < budgets.size(); i++) {
            PodDisruptionBudget pdb = budgets.get(i);
            allowed[i] = pdb.getStatus() == null || pdb.getStatus().getDisruptionsAllowed() == null ? 0
                    : pdb.getStatus().getDisruptionsAllowed();
            var selector = pdb.getSpec() == null ? null : pdb.getSpec().getSelector();
            boolean empty = selector == null || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                    && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()));
            selectors.add(empty ? LabelMatcher.NOTHING : LabelMatcher.of(selector));
        }
        List<PodInfo> violating = new ArrayList<>();
        List<PodInfo> nonViolating = new ArrayList<>();
        for (PodInfo pod : pods) {
            boolean violates = false;
            if (!pod.labels().isEmpty()) {
                for (int i = 0; i < budgets.size(); i++) {
                    PodDisruptionBudget pdb = budgets.get(i);
                    if (!pod.namespace().equals(pdb.getMetadata().getNamespace())
                            || !selectors.get(i).matches(pod.labels())) {
                        continue;
                    }
                    if (pdb.getStatus() != null && pdb.getStatus().getDisruptedPods() != null
                            && pdb.getStatus().getDisruptedPods().containsKey(pod.name())) {
                        continue;
                    }
                    allowed[i]--;
                    if (allowed[i] < 0) {
                        violates = true;
                    }
                }
            }
            (violates ? violating : nonViolating).add(pod);
        }
        return new Split(violating, nonViolating);
    }
}
