package dev.konductor.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.apiserver.authz.PolicyRule;
import dev.konductor.apiserver.authz.UserRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the rules RBAC grants a user, as upstream's DefaultRuleResolver: every ClusterRoleBinding
 * naming the user, then every RoleBinding naming them in the namespace asked about, each
 * contributing the rules of the role it refers to. A binding to a role that does not exist
 * contributes an error ({@code clusterrole.rbac.authorization.k8s.io "x" not found}) instead.
 */
public final class RuleResolver {

    /** Sees each rule with where it came from; returns false to stop the walk. */
    @FunctionalInterface
    interface Visitor {
        boolean visit(String source, PolicyRule rule, String error);
    }

    private final RbacObjects objects;

    public RuleResolver(RbacObjects objects) {
        this.objects = objects;
    }

    /** Every rule {@code user} holds in {@code namespace} ("" for cluster-wide ones only). */
    public UserRules rulesFor(UserInfo user, String namespace) {
        List<PolicyRule> rules = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        visit(user, namespace, (source, rule, error) -> {
            if (rule != null) {
                rules.add(rule);
            }
            if (error != null) {
                errors.add(error);
            }
            return true;
        });
        return new UserRules(rules, !errors.isEmpty(), errors);
    }

    /**
     * The rules a binding's roleRef grants, in {@code namespace} for a Role.
     *
     * @throws RoleNotFoundException when the role does not exist
     */
    public List<PolicyRule> roleRefRules(JsonNode roleRef, String namespace) {
        String name = roleRef.path("name").asText("");
        JsonNode role = switch (roleRef.path("kind").asText("")) {
            case "ClusterRole" -> objects.clusterRole(name);
            case "Role" -> objects.role(namespace, name);
            default -> null;
        };
        if (role == null) {
            throw new RoleNotFoundException(notFound(roleRef));
        }
        return PolicyRule.rulesOf(role);
    }

    void visit(UserInfo user, String namespace, Visitor visitor) {
        for (JsonNode binding : objects.clusterRoleBindings()) {
            if (!visitBinding(binding, "", "ClusterRoleBinding " + quote(nameOf(binding)), user, visitor)) {
                return;
            }
        }
        if (namespace.isEmpty()) {
            return;
        }
        for (JsonNode binding : objects.roleBindings(namespace)) {
            String description = "RoleBinding " + quote(nameOf(binding) + "/" + namespace);
            if (!visitBinding(binding, namespace, description, user, visitor)) {
                return;
            }
        }
    }

    private boolean visitBinding(JsonNode binding, String namespace, String description, UserInfo user,
                                 Visitor visitor) {
        JsonNode subject = appliesTo(binding, namespace, user);
        if (subject == null) {
            return true;
        }
        List<PolicyRule> rules;
        try {
            rules = roleRefRules(binding.path("roleRef"), namespace);
        } catch (RoleNotFoundException e) {
            return visitor.visit(null, null, e.getMessage());
        }
        JsonNode roleRef = binding.path("roleRef");
        String source = description + " of " + roleRef.path("kind").asText() + " " + quote(roleRef.path("name").asText())
                + " to " + Subjects.describe(subject, namespace);
        for (PolicyRule rule : rules) {
            if (!visitor.visit(source, rule, null)) {
                return false;
            }
        }
        return true;
    }

    /** The first subject of the binding that is this user, or null. */
    private static JsonNode appliesTo(JsonNode binding, String namespace, UserInfo user) {
        for (JsonNode subject : binding.path("subjects")) {
            if (Subjects.matches(subject, namespace, user)) {
                return subject;
            }
        }
        return null;
    }

    /** Upstream's wording: the registry's NotFound for the singular resource. */
    private static String notFound(JsonNode roleRef) {
        String kind = roleRef.path("kind").asText("").toLowerCase(java.util.Locale.ROOT);
        return (kind.isEmpty() ? "role" : kind) + ".rbac.authorization.k8s.io " + quote(roleRef.path("name").asText(""))
                + " not found";
    }

    private static String nameOf(JsonNode object) {
        return object.path("metadata").path("name").asText("");
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    /** A binding's role is missing. */
    public static final class RoleNotFoundException extends RuntimeException {
        RoleNotFoundException(String message) {
            super(message, null, false, false);
        }
    }
}
