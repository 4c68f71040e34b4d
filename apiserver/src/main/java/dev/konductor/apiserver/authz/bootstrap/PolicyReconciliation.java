package dev.konductor.apiserver.authz.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.apiserver.authz.PolicyRule;
import dev.konductor.apiserver.authz.rbac.Coverage;
import java.util.List;
import java.util.Optional;

/**
 * What upstream's {@code rbac/bootstrap-roles} post-start hook does to a bootstrap object that
 * already exists: nothing if its autoupdate annotation is "false"; otherwise it gets back the
 * labels, annotations, aggregation selectors, rules and subjects it ships with, keeping
 * whatever was added. Nothing is ever taken away, and no object is ever deleted.
 */
public final class PolicyReconciliation {

    private PolicyReconciliation() {
    }

    /**
     * The object to store in place of {@code existing}, or empty when it is fine as it is.
     * A binding whose roleRef differs (roleRef is immutable) must be deleted and created again:
     * then the result is {@code expected} with the existing subjects added.
     */
    public static Optional<ObjectNode> reconciled(ObjectNode expected, ObjectNode existing) {
        if ("false".equals(existing.path("metadata").path("annotations").path(BootstrapPolicy.AUTOUPDATE).asText())) {
            return Optional.empty();
        }
        ObjectNode result = existing.deepCopy();
        mergeMap(result, expected, "labels");
        mergeMap(result, expected, "annotations");
        String kind = expected.path("kind").asText();
        if (kind.endsWith("Binding")) {
            if (!expected.path("roleRef").equals(existing.path("roleRef"))) {
                ObjectNode replacement = expected.deepCopy();
                addMissing(replacement, existing.path("subjects"), "subjects");
                return Optional.of(replacement);
            }
            addMissing(result, expected.path("subjects"), "subjects");
        } else if (expected.has("aggregationRule")) {
            addMissing(result.withObject("aggregationRule"),
                    expected.path("aggregationRule").path("clusterRoleSelectors"), "clusterRoleSelectors");
        } else {
            List<PolicyRule> held = PolicyRule.rulesOf(existing);
            for (JsonNode rule : expected.path("rules")) {
                if (!Coverage.uncovered(held, List.of(PolicyRule.fromJson(rule))).isEmpty()) {
                    result.withArray("rules").add(rule.deepCopy());
                }
            }
        }
        return result.equals(existing) ? Optional.empty() : Optional.of(result);
    }

    /** Whether a reconciled binding must replace the stored one rather than update it. */
    public static boolean replaces(ObjectNode reconciled, ObjectNode existing) {
        return reconciled.has("roleRef") && !reconciled.path("roleRef").equals(existing.path("roleRef"));
    }

    /** Subjects are the same when kind, name and namespace are (apiGroup is defaulted); selectors when equal. */
    private static boolean sameItem(JsonNode a, JsonNode b) {
        if (!a.has("kind")) {
            return a.equals(b);
        }
        for (String key : new String[] {"kind", "name", "namespace"}) {
            if (!a.path(key).asText("").equals(b.path(key).asText(""))) {
                return false;
            }
        }
        return true;
    }

    private static void mergeMap(ObjectNode result, ObjectNode expected, String field) {
        JsonNode wanted = expected.path("metadata").path(field);
        if (wanted.isEmpty()) {
            return;
        }
        ObjectNode have = result.withObject("metadata").withObject(field);
        wanted.properties().forEach(e -> {
            if (!have.has(e.getKey())) {
                have.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }

    private static void addMissing(ObjectNode result, JsonNode wanted, String field) {
        for (JsonNode item : wanted) {
            boolean present = false;
            for (JsonNode have : result.path(field)) {
                present |= sameItem(have, item);
            }
            if (!present) {
                result.withArray(field).add(item.deepCopy());
            }
        }
    }
}
