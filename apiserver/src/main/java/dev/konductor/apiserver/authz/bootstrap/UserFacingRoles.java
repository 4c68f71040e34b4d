package dev.konductor.apiserver.authz.bootstrap;

import static dev.konductor.apiserver.authz.PolicyRule.verbs;

import java.util.List;
import java.util.Map;

/**
 * Upstream's user-facing roles: {@code cluster-admin}, and {@code admin}, {@code edit} and
 * {@code view}, which hold no rules of their own but aggregate those of every ClusterRole
 * labelled {@code rbac.authorization.k8s.io/aggregate-to-<role>: "true"} (the built-in
 * {@code system:aggregate-to-*} roles first, then any a CRD's author adds). {@code view} is
 * aggregated into {@code edit} and {@code edit} into {@code admin}, as upstream.
 */
final class UserFacingRoles {

    static final String AGGREGATE_TO = "rbac.authorization.k8s.io/aggregate-to-";
    static final String[] READ = {"get", "list", "watch"};
    static final String[] WRITE = {"create", "delete", "deletecollection", "patch", "update"};
    static final String[] READ_WRITE = {"create", "delete", "deletecollection", "get", "list", "patch", "update",
            "watch"};

    private UserFacingRoles() {
    }

    static List<RoleSpec> all() {
        return List.of(
                RoleSpec.of("cluster-admin",
                        verbs("*").groups("*").resources("*").rule(),
                        verbs("*").urls("*").rule()),
                RoleSpec.aggregated("admin", Map.of(), aggregateTo("admin")),
                RoleSpec.aggregated("edit", aggregateTo("admin"), aggregateTo("edit")),
                RoleSpec.aggregated("view", aggregateTo("edit"), aggregateTo("view")),
                aggregateToAdmin(), aggregateToEdit(), aggregateToView(), aggregatedMetricsReader());
    }

    private static Map<String, String> aggregateTo(String role) {
        return Map.of(AGGREGATE_TO + role, "true");
    }

    private static RoleSpec aggregateToAdmin() {
        return RoleSpec.of("system:aggregate-to-admin",
                verbs("create").groups("authorization.k8s.io").resources("localsubjectaccessreviews").rule(),
                verbs(READ_WRITE).groups("rbac.authorization.k8s.io").resources("rolebindings", "roles").rule())
                .labelled(aggregateTo("admin"));
    }

    private static RoleSpec aggregateToEdit() {
        return RoleSpec.of("system:aggregate-to-edit",
                verbs(READ).groups("").resources("pods/attach", "pods/exec", "pods/portforward", "pods/proxy",
                        "secrets", "services/proxy").rule(),
                verbs("impersonate").groups("").resources("serviceaccounts").rule(),
                verbs(WRITE).groups("").resources("pods", "pods/attach", "pods/exec", "pods/portforward",
                        "pods/proxy").rule(),
                verbs("create").groups("").resources("pods/eviction").rule(),
                verbs(WRITE).groups("").resources("configmaps", "events", "persistentvolumeclaims",
                        "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts",
                        "services", "services/proxy").rule(),
                verbs("create").groups("").resources("serviceaccounts/token").rule(),
                verbs(WRITE).groups("apps").resources("daemonsets", "deployments", "deployments/rollback",
                        "deployments/scale", "replicasets", "replicasets/scale", "statefulsets",
                        "statefulsets/scale").rule(),
                verbs(WRITE).groups("autoscaling").resources("horizontalpodautoscalers").rule(),
                verbs(WRITE).groups("batch").resources("cronjobs", "jobs").rule(),
                verbs(WRITE).groups("extensions").resources("daemonsets", "deployments", "deployments/rollback",
                        "deployments/scale", "ingresses", "networkpolicies", "replicasets", "replicasets/scale",
                        "replicationcontrollers/scale").rule(),
                verbs(WRITE).groups("policy").resources("poddisruptionbudgets").rule(),
                verbs(WRITE).groups("networking.k8s.io").resources("ingresses", "networkpolicies").rule(),
                verbs(READ_WRITE).groups("coordination.k8s.io").resources("leases").rule())
                .labelled(aggregateTo("edit"));
    }

    private static RoleSpec aggregateToView() {
        return RoleSpec.of("system:aggregate-to-view",
                verbs(READ).groups("").resources("configmaps", "endpoints", "persistentvolumeclaims",
                        "persistentvolumeclaims/status", "pods", "replicationcontrollers",
                        "replicationcontrollers/scale", "serviceaccounts", "services", "services/status").rule(),
                verbs(READ).groups("").resources("bindings", "events", "limitranges", "namespaces/status",
                        "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas",
                        "resourcequotas/status").rule(),
                verbs(READ).groups("").resources("namespaces").rule(),
                verbs(READ).groups("discovery.k8s.io").resources("endpointslices").rule(),
                verbs(READ).groups("apps").resources("controllerrevisions", "daemonsets", "daemonsets/status",
                        "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale",
                        "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status").rule(),
                verbs(READ).groups("autoscaling").resources("horizontalpodautoscalers",
                        "horizontalpodautoscalers/status").rule(),
                verbs(READ).groups("batch").resources("cronjobs", "cronjobs/status", "jobs", "jobs/status").rule(),
                verbs(READ).groups("extensions").resources("daemonsets", "daemonsets/status", "deployments",
                        "deployments/scale", "deployments/status", "ingresses", "ingresses/status", "networkpolicies",
                        "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale").rule(),
                verbs(READ).groups("policy").resources("poddisruptionbudgets", "poddisruptionbudgets/status").rule(),
                verbs(READ).groups("networking.k8s.io").resources("ingresses", "ingresses/status",
                        "networkpolicies").rule())
                .labelled(aggregateTo("view"));
    }

    /**
     * The role metrics-server's manifest adds so that whoever may view a namespace may also run
     * {@code kubectl top} in it; Konductor serves metrics.k8s.io itself, so it ships the role too.
     */
    private static RoleSpec aggregatedMetricsReader() {
        return RoleSpec.of("system:aggregated-metrics-reader",
                verbs(READ).groups("metrics.k8s.io").resources("pods", "nodes").rule())
                .labelled(Map.of(AGGREGATE_TO + "admin", "true", AGGREGATE_TO + "edit", "true",
                        AGGREGATE_TO + "view", "true"));
    }
}
