package dev.konductor.apiserver.authz.bootstrap;

import static dev.konductor.apiserver.authz.PolicyRule.verbs;
import static dev.konductor.apiserver.authz.bootstrap.UserFacingRoles.READ;

import dev.konductor.apiserver.authz.PolicyRule;
import dev.konductor.apiserver.nodejoin.NodeCredentialsEndpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The roles of the cluster's own components, as upstream's bootstrap policy defines them
 * ({@code system:kube-scheduler}, {@code system:volume-scheduler},
 * {@code system:kube-controller-manager}, {@code system:node}, {@code system:node-proxier},
 * {@code system:kube-dns}), and Konductor's own, named {@code system:konductor:*}: what its
 * controller manager's controllers need between them, what its nodes' networking components do
 * beyond upstream's kubelet, and a joining agent's request for its node certificate.
 */
public final class ComponentRoles {

    /** Konductor's own role for the service proxy, DNS, ServiceLB, ingress and network policy on every node. */
    static final String NODE_NETWORKING = "system:konductor:node-networking";
    /** What the controller manager's controllers need between them, beyond upstream's own role. */
    static final String CONTROLLERS = "system:konductor:controller-manager";
    /** Asking for a node's certificates with the node token, as a k3s agent does. */
    static final String NODE_JOIN = "system:konductor:node-join";
    /** The ServiceLB controller beside the service proxy, as {@code system:kube-proxy}. */
    static final String SERVICE_LB = "system:konductor:service-lb";
    private static final String[] EVENT_GROUPS = {"", "events.k8s.io"};
    /**
     * Upstream grants get and update on a component's own leader Lease; fabric8's leader election,
     * which Konductor's components use, renews it with a patch.
     */
    private static final String[] LEASE_VERBS = {"get", "update", "patch"};

    private ComponentRoles() {
    }

    static List<RoleSpec> all() {
        return List.of(
                RoleSpec.of("system:kube-scheduler", scheduler().toArray(PolicyRule[]::new)),
                RoleSpec.of("system:volume-scheduler",
                        verbs("get", "list", "patch", "update", "watch").groups("").resources("persistentvolumes")
                                .rule(),
                        verbs(READ).groups("storage.k8s.io").resources("storageclasses").rule(),
                        verbs("get", "list", "patch", "update", "watch").groups("")
                                .resources("persistentvolumeclaims").rule()),
                RoleSpec.of("system:kube-controller-manager", controllerManager().toArray(PolicyRule[]::new)),
                RoleSpec.of("system:node", upstreamNodeRules().toArray(PolicyRule[]::new)),
                RoleSpec.of("system:node-proxier",
                        verbs("list", "watch").groups("").resources("endpoints", "services").rule(),
                        verbs(READ).groups("").resources("nodes").rule(),
                        verbs("create", "patch", "update").groups(EVENT_GROUPS).resources("events").rule(),
                        verbs("list", "watch").groups("discovery.k8s.io").resources("endpointslices").rule()),
                RoleSpec.of("system:kube-dns",
                        verbs("list", "watch").groups("").resources("endpoints", "services").rule()),
                RoleSpec.of("system:persistent-volume-provisioner",
                        verbs("create", "delete", "get", "list", "watch").groups("").resources("persistentvolumes")
                                .rule(),
                        verbs("get", "list", "update", "watch").groups("").resources("persistentvolumeclaims").rule(),
                        verbs(READ).groups("storage.k8s.io").resources("storageclasses").rule(),
                        verbs("watch").groups("").resources("events").rule(),
                        verbs("create", "patch", "update").groups(EVENT_GROUPS).resources("events").rule()),
                RoleSpec.of(NODE_NETWORKING, nodeNetworking().toArray(PolicyRule[]::new)),
                RoleSpec.of(CONTROLLERS, controllers().toArray(PolicyRule[]::new)),
                RoleSpec.of(NODE_JOIN, verbs("post")
                        .urls(NodeCredentialsEndpoint.KUBELET_PATH, NodeCredentialsEndpoint.KUBE_PROXY_PATH).rule()),
                // beyond system:node-proxier: a LoadBalancer Service's status
                RoleSpec.of(SERVICE_LB, verbs("update", "patch").groups("").resources("services/status").rule()));
    }

    /**
     * What any node may do beyond the objects its pods use, for the Node authorizer: upstream's
     * {@code system:node} rules, and writing the pod and node metrics that Konductor's kubelet
     * publishes as metrics.k8s.io objects (where upstream's metrics-server would scrape it).
     */
    public static List<PolicyRule> nodeRules() {
        List<PolicyRule> rules = new ArrayList<>(upstreamNodeRules());
        rules.add(verbs("get", "create", "update", "patch", "delete").groups("metrics.k8s.io")
                .resources("pods", "nodes").rule());
        return rules;
    }

    private static List<PolicyRule> upstreamNodeRules() {
        return List.of(
                verbs("create").groups("authentication.k8s.io").resources("tokenreviews").rule(),
                verbs("create").groups("authorization.k8s.io")
                        .resources("localsubjectaccessreviews", "subjectaccessreviews").rule(),
                verbs(READ).groups("").resources("services").rule(),
                verbs("create", "get", "list", "watch").groups("").resources("nodes").rule(),
                verbs("patch", "update").groups("").resources("nodes/status").rule(),
                verbs("patch", "update").groups("").resources("nodes").rule(),
                verbs("create", "patch", "update").groups("").resources("events").rule(),
                verbs(READ).groups("").resources("pods").rule(),
                verbs("create", "delete").groups("").resources("pods").rule(),
                verbs("patch", "update").groups("").resources("pods/status").rule(),
                verbs("create").groups("").resources("pods/eviction").rule(),
                verbs(READ).groups("").resources("configmaps", "secrets").rule(),
                verbs("get").groups("").resources("persistentvolumeclaims", "persistentvolumes").rule(),
                verbs("get").groups("").resources("endpoints").rule(),
                verbs("create", "get", "list", "watch").groups("certificates.k8s.io")
                        .resources("certificatesigningrequests").rule(),
                verbs("create", "delete", "get", "patch", "update").groups("coordination.k8s.io")
                        .resources("leases").rule(),
                verbs("get").groups("storage.k8s.io").resources("volumeattachments").rule(),
                verbs("create").groups("").resources("serviceaccounts/token").rule(),
                verbs("get", "patch", "update").groups("").resources("persistentvolumeclaims/status").rule(),
                verbs(READ).groups("storage.k8s.io").resources("csidrivers").rule(),
                verbs("create", "delete", "get", "patch", "update").groups("storage.k8s.io").resources("csinodes")
                        .rule(),
                verbs(READ).groups("node.k8s.io").resources("runtimeclasses").rule());
    }

    private static List<PolicyRule> scheduler() {
        return List.of(
                verbs("create", "patch", "update").groups(EVENT_GROUPS).resources("events").rule(),
                verbs("create").groups("coordination.k8s.io").resources("leases").rule(),
                verbs(LEASE_VERBS).groups("coordination.k8s.io").resources("leases").names("kube-scheduler").rule(),
                verbs(READ).groups("").resources("nodes").rule(),
                verbs("delete", "get", "list", "watch").groups("").resources("pods").rule(),
                verbs("create").groups("").resources("bindings", "pods/binding").rule(),
                verbs("patch", "update").groups("").resources("pods/status").rule(),
                verbs(READ).groups("").resources("replicationcontrollers", "services").rule(),
                verbs(READ).groups("apps", "extensions").resources("replicasets").rule(),
                verbs(READ).groups("apps").resources("statefulsets").rule(),
                verbs(READ).groups("policy").resources("poddisruptionbudgets").rule(),
                verbs(READ).groups("").resources("persistentvolumeclaims", "persistentvolumes").rule(),
                verbs("create").groups("authentication.k8s.io").resources("tokenreviews").rule(),
                verbs("create").groups("authorization.k8s.io").resources("subjectaccessreviews").rule(),
                verbs(READ).groups("storage.k8s.io").resources("csinodes").rule(),
                verbs(READ).groups("").resources("namespaces").rule(),
                verbs(READ).groups("storage.k8s.io").resources("csidrivers").rule(),
                verbs(READ).groups("storage.k8s.io").resources("csistoragecapacities").rule());
    }

    private static List<PolicyRule> controllerManager() {
        return List.of(
                verbs("create", "patch", "update").groups(EVENT_GROUPS).resources("events").rule(),
                verbs("create").groups("coordination.k8s.io").resources("leases").rule(),
                verbs(LEASE_VERBS).groups("coordination.k8s.io").resources("leases")
                        .names("kube-controller-manager").rule(),
                verbs("create").groups("").resources("secrets", "serviceaccounts").rule(),
                verbs("delete").groups("").resources("secrets").rule(),
                verbs("get").groups("").resources("configmaps", "namespaces", "secrets", "serviceaccounts").rule(),
                verbs("update").groups("").resources("secrets", "serviceaccounts").rule(),
                verbs("create").groups("authentication.k8s.io").resources("tokenreviews").rule(),
                verbs("create").groups("authorization.k8s.io").resources("subjectaccessreviews").rule(),
                verbs("list", "watch").groups("*").resources("*").rule(),
                verbs("create").groups("").resources("serviceaccounts/token").rule());
    }

    /**
     * Upstream runs each controller under a service account of its own, bound to its
     * {@code system:controller:*} role ({@code --use-service-account-credentials}); Konductor's
     * controller manager runs them all under {@code system:kube-controller-manager}, so this is
     * the union of those roles: the namespace controller and the garbage collector read, change
     * and delete objects of every resource, the workload controllers create what they own, the
     * clusterrole-aggregation controller writes roles it does not hold ({@code escalate}).
     * Neither {@code bind} nor {@code impersonate}: no controller needs them.
     */
    private static List<PolicyRule> controllers() {
        return List.of(
                verbs("get", "list", "watch", "update", "patch", "delete", "deletecollection").groups("*")
                        .resources("*").rule(),
                verbs("create").groups("").resources("pods", "pods/eviction", "endpoints", "events",
                        "serviceaccounts", "serviceaccounts/token", "secrets", "configmaps", "persistentvolumes",
                        "persistentvolumeclaims").rule(),
                verbs("create").groups("apps").resources("replicasets", "controllerrevisions").rule(),
                verbs("create").groups("batch").resources("jobs").rule(),
                verbs("create").groups("discovery.k8s.io").resources("endpointslices").rule(),
                verbs("create").groups("events.k8s.io").resources("events").rule(),
                verbs("escalate").groups("rbac.authorization.k8s.io").resources("clusterroles").rule());
    }

    /**
     * What a node's networking beside the service proxy reads and writes under the node's own
     * identity: the cluster DNS (services and endpoint slices; its own endpoint is in
     * {@link Bindings}' kube-system Role), the ingress controller (ingresses and their status,
     * the default IngressClass; the TLS Secrets are the Node authorizer's to grant) and network
     * policy (policies, pods, namespaces).
     */
    private static List<PolicyRule> nodeNetworking() {
        return List.of(
                verbs("list", "watch").groups("").resources("services", "endpoints", "namespaces").rule(),
                verbs("list", "watch").groups("discovery.k8s.io").resources("endpointslices").rule(),
                verbs(READ).groups("networking.k8s.io").resources("ingresses", "ingressclasses", "networkpolicies")
                        .rule(),
                verbs("create").groups("networking.k8s.io").resources("ingressclasses").rule(),
                verbs("update", "patch").groups("networking.k8s.io").resources("ingresses/status").rule(),
                verbs("create", "patch", "update").groups(EVENT_GROUPS).resources("events").rule());
    }
}
