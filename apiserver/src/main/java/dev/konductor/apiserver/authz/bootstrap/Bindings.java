package dev.konductor.apiserver.authz.bootstrap;

import static dev.konductor.apiserver.authz.PolicyRule.verbs;
import static dev.konductor.apiserver.authz.bootstrap.BindingSpec.Subject.group;
import static dev.konductor.apiserver.authz.bootstrap.BindingSpec.Subject.serviceAccount;
import static dev.konductor.apiserver.authz.bootstrap.BindingSpec.Subject.user;

import dev.konductor.apiserver.authz.PolicyRule;
import java.util.List;

/**
 * Who holds the bootstrap roles: upstream's ClusterRoleBindings (every authenticated user may
 * discover the API and review their own access, anyone may read health and version, the
 * components their roles), what kubeadm adds so that a node holding the join token can get
 * itself a node certificate, and Konductor's own grants to its node agents.
 */
final class Bindings {

    static final String BOOTSTRAPPERS = "system:bootstrappers";
    static final String NODES = "system:nodes";

    /** A Role in a namespace and the groups bound to it (a RoleBinding of the same name). */
    record NamespacedGrant(String namespace, String name, List<PolicyRule> rules, List<String> groups) {
    }

    private Bindings() {
    }

    static List<BindingSpec> clusterRoleBindings() {
        return List.of(
                BindingSpec.of("cluster-admin", group("system:masters")),
                BindingSpec.of("system:basic-user", group("system:authenticated")),
                BindingSpec.of("system:discovery", group("system:authenticated")),
                BindingSpec.of("system:public-info-viewer", group("system:authenticated"),
                        group("system:unauthenticated")),
                BindingSpec.of("system:kube-controller-manager", user("system:kube-controller-manager")),
                BindingSpec.of(ComponentRoles.CONTROLLERS, user("system:kube-controller-manager")),
                BindingSpec.of("system:kube-dns", serviceAccount("kube-system", "kube-dns")),
                BindingSpec.of("system:kube-scheduler", user("system:kube-scheduler")),
                BindingSpec.of("system:volume-scheduler", user("system:kube-scheduler")),
                BindingSpec.of("system:monitoring", group("system:monitoring")),
                // kubelets are authorized by the Node authorizer, not by this binding (as upstream)
                BindingSpec.of("system:node"),
                BindingSpec.of("system:node-proxier", user("system:kube-proxy")),
                BindingSpec.of("system:service-account-issuer-discovery", group("system:serviceaccounts")),
                // kubeadm's grants for TLS bootstrapping: the join token asks for a node certificate,
                // which is approved automatically; a node renews its own the same way
                new BindingSpec("konductor:kubelet-bootstrap", "system:node-bootstrapper", List.of(group(BOOTSTRAPPERS))),
                new BindingSpec("konductor:node-autoapprove-bootstrap",
                        "system:certificates.k8s.io:certificatesigningrequests:nodeclient", List.of(group(BOOTSTRAPPERS))),
                new BindingSpec("konductor:node-autoapprove-certificate-rotation",
                        "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", List.of(group(NODES))),
                BindingSpec.of(ComponentRoles.NODE_NETWORKING, group(NODES)),
                BindingSpec.of(ComponentRoles.NODE_JOIN, group(BOOTSTRAPPERS)),
                BindingSpec.of(ComponentRoles.SERVICE_LB, user("system:kube-proxy")));
    }

    /**
     * Grants confined to kube-system: reading the cluster settings every node agrees on (before
     * and after it has its node certificate), and publishing each node's endpoint of kube-dns.
     */
    static List<NamespacedGrant> namespaced() {
        return List.of(
                new NamespacedGrant("kube-system", "system:konductor:cluster-config-reader",
                        List.of(verbs("get").groups("").resources("configmaps").names("konductor-config").rule()),
                        List.of(BOOTSTRAPPERS, NODES)),
                new NamespacedGrant("kube-system", "system:konductor:node-dns",
                        List.of(verbs("get", "create", "update", "delete").groups("discovery.k8s.io")
                                .resources("endpointslices").rule()),
                        List.of(NODES)));
    }
}
