package dev.konductor.apiserver.authz.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.apiserver.authz.Attributes;
import dev.konductor.apiserver.authz.bootstrap.BootstrapPolicy;
import dev.konductor.apiserver.nodejoin.NodeCredentialsEndpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the bootstrap policy lets each built-in component do under its own identity, and what not. */
class ComponentPolicyTest {

    private static final UserInfo CONTROLLER_MANAGER = UserInfo.of("system:kube-controller-manager",
            List.of("system:authenticated"));
    private static final UserInfo SCHEDULER = UserInfo.of("system:kube-scheduler", List.of("system:authenticated"));
    private static final UserInfo JOINED_AGENT = UserInfo.of("system:bootstrap:abcdef",
            List.of("system:bootstrappers", "system:authenticated"));
    private static final UserInfo PROXY = UserInfo.of("system:kube-proxy", List.of("system:authenticated"));
    private static final UserInfo NODE = UserInfo.of("system:node:n1", List.of("system:nodes", "system:authenticated"));

    private final RbacAuthorizer rbac = new RbacAuthorizer(new RuleResolver(new InMemoryRbac()
            .addAll(BootstrapPolicy.clusterRoles()).addAll(BootstrapPolicy.clusterRoleBindings())
            .addAll(BootstrapPolicy.roles()).addAll(BootstrapPolicy.roleBindings())));

    @Test
    void theControllerManagerDoesWhatItsControllersDoButNeitherBindsNorImpersonates() {
        assertThat(allowed(CONTROLLER_MANAGER, "create", "apps", "replicasets", "", "shop", "")).isTrue();
        assertThat(allowed(CONTROLLER_MANAGER, "create", "", "pods", "", "shop", "")).isTrue();
        assertThat(allowed(CONTROLLER_MANAGER, "delete", "example.com", "widgets", "", "shop", "w")).isTrue();
        assertThat(allowed(CONTROLLER_MANAGER, "update", "", "namespaces", "finalize", "", "shop")).isTrue();
        assertThat(allowed(CONTROLLER_MANAGER, "escalate", "rbac.authorization.k8s.io", "clusterroles", "", "",
                "view")).isTrue();
        assertThat(allowed(CONTROLLER_MANAGER, "patch", "coordination.k8s.io", "leases", "", "kube-system",
                "kube-controller-manager")).isTrue();
        assertThat(allowed(CONTROLLER_MANAGER, "bind", "rbac.authorization.k8s.io", "clusterroles", "", "",
                "cluster-admin")).isFalse();
        assertThat(allowed(CONTROLLER_MANAGER, "impersonate", "", "users", "", "", "jane")).isFalse();
        assertThat(allowed(CONTROLLER_MANAGER, "create", "rbac.authorization.k8s.io", "clusterrolebindings", "", "",
                "")).isFalse();
    }

    @Test
    void theSchedulerBindsPodsAndRenewsItsLeaseButReadsNoSecrets() {
        assertThat(allowed(SCHEDULER, "create", "", "pods", "binding", "shop", "web-0")).isTrue();
        assertThat(allowed(SCHEDULER, "patch", "coordination.k8s.io", "leases", "", "kube-system", "kube-scheduler"))
                .isTrue();
        assertThat(allowed(SCHEDULER, "update", "", "persistentvolumes", "", "", "pv-1")).isTrue();
        assertThat(allowed(SCHEDULER, "patch", "coordination.k8s.io", "leases", "", "kube-system",
                "kube-controller-manager")).isFalse();
        assertThat(allowed(SCHEDULER, "list", "", "secrets", "", "", "")).isFalse();
    }

    @Test
    void theProxyAndTheNodesNetworkingHoldWhatTheyUseAndTheNodeTokenOnlyJoins() {
        assertThat(allowed(PROXY, "update", "", "services", "status", "shop", "web")).isTrue();
        assertThat(allowed(PROXY, "watch", "discovery.k8s.io", "endpointslices", "", "", "")).isTrue();
        assertThat(allowed(PROXY, "list", "", "pods", "", "", "")).isFalse();
        assertThat(allowed(NODE, "watch", "networking.k8s.io", "networkpolicies", "", "", "")).isTrue();
        assertThat(allowed(NODE, "create", "discovery.k8s.io", "endpointslices", "", "kube-system", "")).isTrue();
        assertThat(allowed(NODE, "create", "discovery.k8s.io", "endpointslices", "", "shop", "")).isFalse();

        assertThat(allowed(JOINED_AGENT, "get", "", "configmaps", "", "kube-system", "konductor-config")).isTrue();
        assertThat(rbac.authorize(Attributes.nonResource(JOINED_AGENT, "post", NodeCredentialsEndpoint.KUBELET_PATH))
                .allowed()).isTrue();
        assertThat(rbac.authorize(Attributes.nonResource(SCHEDULER, "post", NodeCredentialsEndpoint.KUBE_PROXY_PATH))
                .allowed()).isFalse();
        assertThat(allowed(JOINED_AGENT, "get", "", "secrets", "", "shop", "db")).isFalse();
        assertThat(allowed(JOINED_AGENT, "patch", "", "nodes", "status", "", "n2")).isFalse();
    }

    private boolean allowed(UserInfo user, String verb, String group, String resource, String subresource,
                            String namespace, String name) {
        return rbac.authorize(Attributes.resource(user, verb, group, resource, subresource, namespace, name)).allowed();
    }
}
