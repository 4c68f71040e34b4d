package dev.konductor.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.admission.Admission;
import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.apiserver.authz.Attributes;
import dev.konductor.apiserver.authz.Authorizer;
import dev.konductor.apiserver.authz.PolicyRule;
import dev.konductor.apiserver.authz.Superusers;
import dev.konductor.apiserver.authz.UserRules;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * RBAC's escalation prevention, as upstream's RBAC storage enforces it on every create and update
 * of a role or binding: a user may only write a Role or ClusterRole whose rules they hold
 * themselves (unless they may {@code escalate} roles), and only bind a role whose rules they hold
 * in the binding's namespace (unless they may {@code bind} that role). Setting a ClusterRole's
 * aggregationRule, which can gather anything, takes every permission. Members of
 * {@code system:masters} are not checked. An update that leaves what the object grants unchanged
 * (labels, owner references, finalizers) needs no check.
 */
public final class EscalationCheck implements Admission {

    static final String GROUP = "rbac.authorization.k8s.io";
    private static final List<PolicyRule> FULL_AUTHORITY = List.of(
            PolicyRule.verbs(PolicyRule.ALL).groups(PolicyRule.ALL).resources(PolicyRule.ALL).rule(),
            PolicyRule.verbs(PolicyRule.ALL).urls(PolicyRule.ALL).rule());

    private final Authorizer authorizer;
    private final RuleResolver rbac;

    /**
     * @param authorizer the whole chain, asked about {@code escalate} and {@code bind}
     * @param rbac       the rules the writer holds through RBAC, which must cover what they grant
     */
    public EscalationCheck(Authorizer authorizer, RuleResolver rbac) {
        this.authorizer = authorizer;
        this.rbac = rbac;
    }

    @Override
    public void admit(Operation operation, ResourceType type, ObjectNode obj, ObjectNode old, Request request) {
        if (!type.group().equals(GROUP) || operation == Operation.DELETE || Superusers.isSuperuser(request.user())) {
            return;
        }
        switch (type.kind()) {
            case "Role", "ClusterRole" -> {
                if (old == null || grantsChanged(obj, old, "rules", "aggregationRule")) {
                    checkRole(type, obj, request.user(), old == null);
                }
            }
            case "RoleBinding", "ClusterRoleBinding" -> {
                if (old == null || grantsChanged(obj, old, "roleRef", "subjects")) {
                    checkBinding(type, obj, request.user());
                }
            }
            default -> {
            }
        }
    }

    private void checkRole(ResourceType type, ObjectNode role, UserInfo user, boolean creating) {
        String namespace = namespaceOf(type, role);
        String name = nameOf(role);
        Attributes escalate = Attributes.resource(user, "escalate", GROUP, type.plural(), "", namespace,
                creating ? "" : name);
        if (authorizer.authorize(escalate).allowed()) {
            return;
        }
        confirmNoEscalation(type, name, user, namespace, PolicyRule.rulesOf(role));
        if (role.path("aggregationRule").isObject()) {
            UserRules held = rbac.rulesFor(user, namespace);
            if (!Coverage.uncovered(held.rules(), FULL_AUTHORITY).isEmpty()) {
                throw StatusException.forbidden(GROUP, type.plural(), name,
                        "must have cluster-admin privileges to use the aggregationRule");
            }
        }
    }

    private void checkBinding(ResourceType type, ObjectNode binding, UserInfo user) {
        String namespace = namespaceOf(type, binding);
        JsonNode roleRef = binding.path("roleRef");
        String roleResource = roleRef.path("kind").asText().equals("ClusterRole") ? "clusterroles" : "roles";
        Attributes bind = Attributes.resource(user, "bind", roleRef.path("apiGroup").asText(GROUP), roleResource,
                "", namespace, roleRef.path("name").asText(""));
        if (authorizer.authorize(bind).allowed()) {
            return;
        }
        List<PolicyRule> granted;
        try {
            granted = rbac.roleRefRules(roleRef, namespace);
        } catch (RuleResolver.RoleNotFoundException e) {
            String kind = roleRef.path("kind").asText().equals("ClusterRole") ? "clusterroles" : "roles";
            throw StatusException.notFound(GROUP, kind, roleRef.path("name").asText(""));
        }
        confirmNoEscalation(type, nameOf(binding), user, namespace, granted);
    }

    /** Forbidden unless the user's RBAC rules in {@code namespace} cover {@code granted}. */
    private void confirmNoEscalation(ResourceType type, String name, UserInfo user, String namespace,
                                     List<PolicyRule> granted) {
        UserRules held = rbac.rulesFor(user, namespace);
        List<PolicyRule> missing = Coverage.uncovered(held.rules(), granted);
        if (missing.isEmpty()) {
            return;
        }
        TreeSet<String> descriptions = new TreeSet<>();
        Coverage.compact(missing).forEach(rule -> descriptions.add(rule.compactString()));
        String message = "user \"" + user.name() + "\" (groups=" + PolicyRule.quoted(user.groups())
                + ") is attempting to grant RBAC permissions not currently held:\n" + String.join("\n", descriptions);
        if (!held.errors().isEmpty()) {
            message += "; resolution errors: " + RbacAuthorizer.aggregate(held.errors());
        }
        throw StatusException.forbidden(GROUP, type.plural(), name, message);
    }

    private static boolean grantsChanged(ObjectNode obj, ObjectNode old, String... fields) {
        for (String field : fields) {
            if (!Objects.equals(obj.path(field), old.path(field))) {
                return true;
            }
        }
        return false;
    }

    private static String namespaceOf(ResourceType type, JsonNode obj) {
        return type.namespaced() ? obj.path("metadata").path("namespace").asText("") : "";
    }

    private static String nameOf(JsonNode obj) {
        return obj.path("metadata").path("name").asText("");
    }
}
