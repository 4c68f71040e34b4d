package dev.konductor.apiserver.authz.bootstrap;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.apiserver.authz.PolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The RBAC objects every cluster starts with, as upstream's bootstrap policy: each labelled
 * {@code kubernetes.io/bootstrapping: rbac-defaults} and annotated
 * {@code rbac.authorization.kubernetes.io/autoupdate: "true"} (set it to "false" to keep the API
 * server from restoring what it ships).
 */
public final class BootstrapPolicy {

    static final String AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate";
    private static final String API_VERSION = "rbac.authorization.k8s.io/v1";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private BootstrapPolicy() {
    }

    public static List<ObjectNode> clusterRoles() {
        List<ObjectNode> roles = new ArrayList<>();
        for (List<RoleSpec> group : List.of(UserFacingRoles.all(), SystemRoles.all(), ComponentRoles.all())) {
            group.forEach(spec -> roles.add(clusterRole(spec)));
        }
        return roles;
    }

    public static List<ObjectNode> clusterRoleBindings() {
        List<ObjectNode> bindings = new ArrayList<>();
        for (BindingSpec spec : Bindings.clusterRoleBindings()) {
            ObjectNode binding = object("ClusterRoleBinding", spec.name(), null);
            roleRef(binding, "ClusterRole", spec.clusterRole());
            for (BindingSpec.Subject subject : spec.subjects()) {
                addSubject(binding, subject.kind(), subject.name(), subject.namespace());
            }
            bindings.add(binding);
        }
        return bindings;
    }

    /** The Roles the namespaced grants define, in their namespaces. */
    public static List<ObjectNode> roles() {
        List<ObjectNode> roles = new ArrayList<>();
        for (Bindings.NamespacedGrant grant : Bindings.namespaced()) {
            ObjectNode role = object("Role", grant.name(), grant.namespace());
            grant.rules().forEach(rule -> role.withArray("rules").add(rule.toJson()));
            roles.add(role);
        }
        return roles;
    }

    public static List<ObjectNode> roleBindings() {
        List<ObjectNode> bindings = new ArrayList<>();
        for (Bindings.NamespacedGrant grant : Bindings.namespaced()) {
            ObjectNode binding = object("RoleBinding", grant.name(), grant.namespace());
            roleRef(binding, "Role", grant.name());
            grant.groups().forEach(g -> addSubject(binding, "Group", g, null));
            bindings.add(binding);
        }
        return bindings;
    }

    private static ObjectNode clusterRole(RoleSpec spec) {
        ObjectNode role = object("ClusterRole", spec.name(), null);
        spec.labels().forEach(role.withObject("metadata").withObject("labels")::put);
        if (!spec.aggregates().isEmpty()) {
            var selectors = role.putObject("aggregationRule").putArray("clusterRoleSelectors");
            for (Map<String, String> labels : spec.aggregates()) {
                ObjectNode matchLabels = selectors.addObject().putObject("matchLabels");
                labels.forEach(matchLabels::put);
            }
            return role;
        }
        var rules = role.putArray("rules");
        for (PolicyRule rule : spec.rules()) {
            rules.add(rule.toJson());
        }
        return role;
    }

    private static ObjectNode object(String kind, String name, String namespace) {
        ObjectNode obj = JSON.objectNode();
        obj.put("apiVersion", API_VERSION);
        obj.put("kind", kind);
        ObjectNode meta = obj.putObject("metadata");
        meta.put("name", name);
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        meta.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
        meta.putObject("annotations").put(AUTOUPDATE, "true");
        return obj;
    }

    private static void roleRef(ObjectNode binding, String kind, String name) {
        ObjectNode ref = binding.putObject("roleRef");
        ref.put("apiGroup", "rbac.authorization.k8s.io");
        ref.put("kind", kind);
        ref.put("name", name);
    }

    private static void addSubject(ObjectNode binding, String kind, String name, String namespace) {
        ObjectNode subject = binding.withArray("subjects").addObject();
        subject.put("kind", kind);
        if (!kind.equals("ServiceAccount")) {
            subject.put("apiGroup", "rbac.authorization.k8s.io");
        }
        subject.put("name", name);
        if (namespace != null) {
            subject.put("namespace", namespace);
        }
    }
}
