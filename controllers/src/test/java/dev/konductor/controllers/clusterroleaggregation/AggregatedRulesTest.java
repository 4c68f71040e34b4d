package dev.konductor.controllers.clusterroleaggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which rules an aggregating ClusterRole gathers. */
class AggregatedRulesTest {

    private static final PolicyRule READ_PODS = rule("pods", "get");
    private static final PolicyRule READ_WIDGETS = rule("widgets", "list");

    @Test
    void rulesOfEveryRoleAnySelectorPicksInNameOrderEachOnce() {
        ClusterRole view = new ClusterRoleBuilder().withNewMetadata().withName("view").endMetadata()
                .withNewAggregationRule().addNewClusterRoleSelector().addToMatchLabels("aggregate-to-view", "true")
                .endClusterRoleSelector().addNewClusterRoleSelector().addToMatchLabels("extra", "yes")
                .endClusterRoleSelector().endAggregationRule().build();
        List<ClusterRole> all = List.of(view,
                role("zz-widgets", Map.of("aggregate-to-view", "true"), READ_WIDGETS, READ_PODS),
                role("aa-pods", Map.of("extra", "yes"), READ_PODS),
                role("unrelated", Map.of("aggregate-to-edit", "true"), rule("secrets", "get")));

        assertThat(AggregatedRules.of(view, all)).containsExactly(READ_PODS, READ_WIDGETS);
    }

    @Test
    void aRoleWithNoMatchingSelectorsGathersNothing() {
        ClusterRole empty = new ClusterRoleBuilder().withNewMetadata().withName("empty").endMetadata()
                .withNewAggregationRule().endAggregationRule().build();
        assertThat(AggregatedRules.of(empty, List.of(role("x", Map.of("a", "b"), READ_PODS)))).isEmpty();
    }

    private static ClusterRole role(String name, Map<String, String> labels, PolicyRule... rules) {
        return new ClusterRoleBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withRules(rules).build();
    }

    private static PolicyRule rule(String resource, String verb) {
        return new PolicyRuleBuilder().withApiGroups("").withResources(resource).withVerbs(verb).build();
    }
}
