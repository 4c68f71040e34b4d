package dev.konductor.controllers.clusterroleaggregation;

import dev.konductor.controllers.framework.Selectors;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The rules an aggregating ClusterRole should hold, as upstream's aggregation controller gathers
 * them: the rules of every other ClusterRole whose labels match any of its
 * {@code aggregationRule.clusterRoleSelectors}, taken in name order, each rule once.
 */
final class AggregatedRules {

    private AggregatedRules() {
    }

    static List<PolicyRule> of(ClusterRole aggregating, List<ClusterRole> all) {
        List<LabelSelector> selectors = aggregating.getAggregationRule().getClusterRoleSelectors();
        List<PolicyRule> rules = new ArrayList<>();
        List<ClusterRole> byName = all.stream()
                .sorted(Comparator.comparing(role -> role.getMetadata().getName()))
                .toList();
        for (ClusterRole role : byName) {
            if (role.getMetadata().getName().equals(aggregating.getMetadata().getName())
                    || !selected(role, selectors)) {
                continue;
            }
            for (PolicyRule rule : role.getRules() == null ? List.<PolicyRule>of() : role.getRules()) {
                if (!rules.contains(rule)) {
                    rules.add(rule);
                }
            }
        }
        return rules;
    }

    private static boolean selected(ClusterRole role, List<LabelSelector> selectors) {
        Map<String, String> labels = role.getMetadata().getLabels() == null ? Map.of()
                : role.getMetadata().getLabels();
        return selectors != null && selectors.stream().anyMatch(selector -> Selectors.matches(selector, labels));
    }
}
