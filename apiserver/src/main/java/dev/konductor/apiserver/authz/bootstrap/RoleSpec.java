package dev.konductor.apiserver.authz.bootstrap;

import dev.konductor.apiserver.authz.PolicyRule;
import java.util.List;
import java.util.Map;

/**
 * A ClusterRole of the bootstrap policy: its name, the labels that aggregate it into others,
 * the labels of the roles it aggregates (empty when it has rules of its own), and its rules.
 */
record RoleSpec(String name, Map<String, String> labels, List<Map<String, String>> aggregates,
                List<PolicyRule> rules) {

    static RoleSpec of(String name, PolicyRule... rules) {
        return new RoleSpec(name, Map.of(), List.of(), List.of(rules));
    }

    /** A role whose rules the aggregation controller gathers from the roles labelled {@code selector}. */
    static RoleSpec aggregated(String name, Map<String, String> labels, Map<String, String> selector) {
        return new RoleSpec(name, labels, List.of(selector), List.of());
    }

    RoleSpec labelled(Map<String, String> more) {
        return new RoleSpec(name, more, aggregates, rules);
    }
}
