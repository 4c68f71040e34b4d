package dev.konductor.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Matches a failed pod against a Job's {@code spec.podFailurePolicy}, rule by rule, first match wins. */
final class PodFailurePolicies {

    /** What the matching rule says to do with the failure; {@code message} explains a FailJob. */
    record Verdict(String action, String message) {
    }

    private PodFailurePolicies() {
    }

    /** The first matching rule's verdict; empty when no rule matches (the failure counts). */
    static Optional<Verdict> match(PodFailurePolicy policy, Pod pod) {
        if (policy == null || policy.getRules() == null || pod.getStatus() == null) {
            return Optional.empty();
        }
        String podName = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        List<PodFailurePolicyRule> rules = policy.getRules();
        for (int i = 0; i < rules.size(); i++) {
            PodFailurePolicyRule rule = rules.get(i);
            if (rule.getOnExitCodes() != null) {
                Optional<ContainerStatus> failed = matchingContainer(rule.getOnExitCodes(), pod);
                if (failed.isPresent()) {
                    return Optional.of(new Verdict(rule.getAction(), "Container " + failed.get().getName() + " for pod "
                            + podName + " failed with exit code " + failed.get().getState().getTerminated().getExitCode()
                            + " matching " + rule.getAction() + " rule at index " + i));
                }
            } else if (rule.getOnPodConditions() != null) {
                Optional<PodCondition> condition = matchingCondition(rule.getOnPodConditions(), pod);
                if (condition.isPresent()) {
                    return Optional.of(new Verdict(rule.getAction(), "Pod " + podName + " has condition "
                            + condition.get().getType() + " matching " + rule.getAction() + " rule at index " + i));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<ContainerStatus> matchingContainer(PodFailurePolicyOnExitCodesRequirement req, Pod pod) {
        List<ContainerStatus> statuses = new ArrayList<>();
        if (pod.getStatus().getInitContainerStatuses() != null) {
            statuses.addAll(pod.getStatus().getInitContainerStatuses());
        }
        if (pod.getStatus().getContainerStatuses() != null) {
            statuses.addAll(pod.getStatus().getContainerStatuses());
        }
        List<Integer> values = req.getValues() == null ? List.of() : req.getValues();
        for (ContainerStatus cs : statuses) {
            if (req.getContainerName() != null && !req.getContainerName().equals(cs.getName())) {
                continue;
            }
            if (cs.getState() == null || cs.getState().getTerminated() == null) {
                continue;
            }
            Integer code = cs.getState().getTerminated().getExitCode();
            if (code == null || code == 0) {
                continue; // a successful container never matches, whatever the operator
            }
            boolean in = values.contains(code);
            if ("In".equals(req.getOperator()) == in) {
                return Optional.of(cs);
            }
        }
        return Optional.empty();
    }

    private static Optional<PodCondition> matchingCondition(List<PodFailurePolicyOnPodConditionsPattern> patterns,
                                                            Pod pod) {
        if (pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        for (PodFailurePolicyOnPodConditionsPattern pattern : patterns) {
            String status = pattern.getStatus() == null ? "True" : pattern.getStatus();
            for (PodCondition c : pod.getStatus().getConditions()) {
                if (c.getType().equals(pattern.getType()) && status.equals(c.getStatus())) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }
}
