package dev.konductor.apiserver.authz;

import static dev.konductor.apiserver.authz.AuthzSupport.eventually;
import static dev.konductor.apiserver.authz.AuthzSupport.forbidden;
import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.apiserver.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RBAC enforced on every request of a real API server, through the fabric8 client: what a service
 * account may do follows its Roles and bindings, for lists, watches, named objects and
 * subresources; writes of roles and bindings cannot escalate; the bootstrap policy is there and
 * comes back after a restart.
 */
class RbacApiTest {

    private static TestApiServer api;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() {
        api = TestApiServer.start();
        admin = api.client();
        AuthzSupport.token(admin, "default", "default"); // pods run as it
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aServiceAccountIsForbiddenWhatNoRoleGrantsIt() {
        KubernetesClient reader = asServiceAccount("default", "nobody");
        assertThat(forbidden(() -> reader.pods().inNamespace("default").list())).isEqualTo("pods is forbidden: User "
                + "\"system:serviceaccount:default:nobody\" cannot list resource \"pods\" in API group \"\" in the "
                + "namespace \"default\"");
        assertThat(forbidden(() -> reader.nodes().withName("n1").get())).isEqualTo("nodes \"n1\" is forbidden: User "
                + "\"system:serviceaccount:default:nobody\" cannot get resource \"nodes\" in API group \"\" at the "
                + "cluster scope");
        assertThat(forbidden(() -> reader.apps().deployments().inNamespace("default").list()))
                .startsWith("deployments.apps is forbidden: User");
    }

    @Test
    void aRoleBoundToTheAccountGrantsExactlyItsVerbs() {
        KubernetesClient reader = asServiceAccount("default", "pod-reader");
        grant("default", "pod-reader", "ServiceAccount", "pod-reader", new PolicyRuleBuilder().withApiGroups("")
                .withResources("pods").withVerbs("get", "list").build());
        admin.pods().inNamespace("default").resource(pod("web")).create();

        eventually(() -> reader.pods().inNamespace("default").list().getItems().size() == 1);
        assertThat(reader.pods().inNamespace("default").withName("web").get()).isNotNull();
        assertThat(forbidden(() -> reader.pods().inNamespace("default").resource(pod("other")).create()))
                .isEqualTo("pods is forbidden: User \"system:serviceaccount:default:pod-reader\" cannot create "
                        + "resource \"pods\" in API group \"\" in the namespace \"default\"");
        assertThat(forbidden(() -> reader.pods().inNamespace("default").withName("web").delete()))
                .startsWith("pods \"web\" is forbidden: User \"system:serviceaccount:default:pod-reader\" cannot "
                        + "delete resource \"pods\"");
        assertThat(forbidden(() -> reader.pods().inNamespace("kube-system").list()))
                .endsWith("in the namespace \"kube-system\"");
        // watch is a verb of its own, and so is every subresource
        TestApiServer.Response watch = api.send("GET", "/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1",
                Map.of("Authorization", "Bearer " + token("default", "pod-reader")), null);
        assertThat(watch.status()).isEqualTo(403);
        assertThat(watch.body()).contains("cannot watch resource \\\"pods\\\"");
        assertThat(forbidden(() -> reader.pods().inNamespace("default").withName("web").getLog()))
                .contains("cannot get resource \"pods/log\" in API group \"\" in the namespace \"default\"");
        assertThat(forbidden(() -> reader.pods().inNamespace("default").withName("web").edit(p -> new PodBuilder(p)
                .editOrNewMetadata().addToLabels("x", "y").endMetadata().build()))).contains("cannot patch");
    }

    @Test
    void streamingSubresourcesAreCreateOnTheirSubresource() {
        String token = token("default", "execer");
        TestApiServer.Response exec = api.send("GET", "/api/v1/namespaces/default/pods/web/exec?command=sh&stdout=true",
                Map.of("Authorization", "Bearer " + token), null);
        assertThat(exec.status()).isEqualTo(403);
        assertThat(exec.body()).contains("cannot create resource \\\"pods/exec\\\" in API group \\\"\\\" in the "
                + "namespace \\\"default\\\"");
        TestApiServer.Response forward = api.send("POST", "/api/v1/namespaces/default/pods/web/portforward",
                Map.of("Authorization", "Bearer " + token), null);
        assertThat(forward.body()).contains("cannot create resource \\\"pods/portforward\\\"");
    }

    @Test
    void resourceNamesLimitARuleToNamedObjectsAlsoForSingleObjectWatches() {
        KubernetesClient named = asServiceAccount("default", "one-config");
        grant("default", "one-config", "ServiceAccount", "one-config", new PolicyRuleBuilder().withApiGroups("")
                .withResources("configmaps").withResourceNames("settings").withVerbs("get", "list", "watch").build());
        admin.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("settings").endMetadata().addToData("a", "b").build()).create();

        eventually(() -> named.configMaps().inNamespace("default").withName("settings").get() != null);
        assertThat(forbidden(() -> named.configMaps().inNamespace("default").withName("other").get()))
                .startsWith("configmaps \"other\" is forbidden");
        assertThat(forbidden(() -> named.configMaps().inNamespace("default").list())).contains("cannot list");
        // kubectl get cm settings -w: a list and a watch by metadata.name, which name the object
        assertThat(named.configMaps().inNamespace("default").withField("metadata.name", "settings").list().getItems())
                .hasSize(1);
    }

    @Test
    void aClusterRoleBindingToAGroupGrantsEveryMember() {
        KubernetesClient member = asServiceAccount("kube-public", "viewer");
        admin.rbac().clusterRoleBindings().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder()
                .withNewMetadata().withName("kube-public-accounts-see-nodes").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "node-viewer")
                .addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io")
                .withName("system:serviceaccounts:kube-public").endSubject().build()).create();
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("node-viewer")
                .endMetadata().addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("nodes")
                        .withVerbs("list").build()).build()).create();

        eventually(() -> member.nodes().list() != null);
        assertThat(forbidden(() -> asServiceAccount("default", "outsider").nodes().list())).contains("cannot list");
    }

    @Test
    void rolesAndBindingsCannotGrantWhatTheWriterLacks() {
        KubernetesClient delegate = asServiceAccount("default", "delegate");
        grant("default", "delegate", "ServiceAccount", "delegate",
                new PolicyRuleBuilder().withApiGroups("rbac.authorization.k8s.io").withResources("roles", "rolebindings")
                        .withVerbs("create", "get", "update").build(),
                new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs("get", "list").build());
        eventually(() -> delegate.pods().inNamespace("default").list() != null);

        assertThat(forbidden(() -> delegate.rbac().roles().inNamespace("default").resource(role("deleter",
                new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs("get", "delete").build()))
                .create())).isEqualTo("roles.rbac.authorization.k8s.io \"deleter\" is forbidden: user "
                + "\"system:serviceaccount:default:delegate\" (groups=[\"system:serviceaccounts\" "
                + "\"system:serviceaccounts:default\" \"system:authenticated\"]) is attempting to grant RBAC "
                + "permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}");
        delegate.rbac().roles().inNamespace("default").resource(role("lister", new PolicyRuleBuilder()
                .withApiGroups("").withResources("pods").withVerbs("list").build())).create();

        // binding a role is granting its rules: edit (or cluster-admin) holds more than the delegate
        assertThat(forbidden(() -> delegate.rbac().roleBindings().inNamespace("default").resource(binding(
                "admin-for-me", "ClusterRole", "cluster-admin", "delegate")).create()))
                .startsWith("rolebindings.rbac.authorization.k8s.io \"admin-for-me\" is forbidden: user "
                        + "\"system:serviceaccount:default:delegate\"");
        delegate.rbac().roleBindings().inNamespace("default").resource(binding("listers", "Role", "lister",
                "someone")).create();

        // unless it may bind that very role
        grant("default", "bind-view", "ServiceAccount", "delegate", new PolicyRuleBuilder()
                .withApiGroups("rbac.authorization.k8s.io").withResources("clusterroles").withResourceNames("view")
                .withVerbs("bind").build());
        eventually(() -> {
            delegate.rbac().roleBindings().inNamespace("default").resource(binding("viewers", "ClusterRole", "view",
                    "someone")).create();
            return true;
        });
    }

    @Test
    void anAggregationRuleTakesEveryPermission() {
        KubernetesClient author = asServiceAccount("default", "role-author");
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("role-author")
                .endMetadata().addToRules(new PolicyRuleBuilder().withApiGroups("rbac.authorization.k8s.io")
                        .withResources("clusterroles").withVerbs("create").build()).build()).create();
        admin.rbac().clusterRoleBindings().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder()
                .withNewMetadata().withName("role-author").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "role-author")
                .addNewSubject().withKind("ServiceAccount").withName("role-author").withNamespace("default").endSubject()
                .build()).create();

        eventually(() -> forbidden(() -> author.rbac().clusterRoles().resource(new ClusterRoleBuilder()
                .withNewMetadata().withName("gatherer").endMetadata().withNewAggregationRule()
                .addNewClusterRoleSelector().addToMatchLabels("x", "y").endClusterRoleSelector().endAggregationRule()
                .build()).create()).endsWith("must have cluster-admin privileges to use the aggregationRule"));
    }

    @Test
    void theBootstrapPolicyIsThereAndComesBackAfterARestart() {
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("my-own-role")
                .endMetadata().build()).create();
        assertThat(admin.rbac().clusterRoles().withName("cluster-admin").get().getRules()).hasSize(2);
        assertThat(admin.rbac().clusterRoles().withName("view").get().getAggregationRule().getClusterRoleSelectors()
                .get(0).getMatchLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true");
        assertThat(admin.rbac().clusterRoleBindings().withName("system:discovery").get().getSubjects())
                .extracting(s -> s.getName()).containsExactly("system:authenticated");

        admin.rbac().clusterRoles().withName("system:discovery").delete();
        admin.rbac().clusterRoleBindings().withName("system:basic-user").edit(b ->
                new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder(b).withSubjects().build());
        admin.rbac().clusterRoles().withName("system:monitoring").edit(r -> new ClusterRoleBuilder(r)
                .editMetadata().addToAnnotations("rbac.authorization.kubernetes.io/autoupdate", "false").endMetadata()
                .withRules().build());
        api.restart();
        admin = api.client();

        assertThat(admin.rbac().clusterRoles().withName("system:discovery").get()).isNotNull();
        assertThat(admin.rbac().clusterRoleBindings().withName("system:basic-user").get().getSubjects())
                .extracting(s -> s.getName()).containsExactly("system:authenticated");
        assertThat(admin.rbac().clusterRoles().withName("system:monitoring").get().getRules()).isEmpty();
        assertThat(admin.rbac().clusterRoles().withName("my-own-role").get()).as("never deleted").isNotNull();
    }

    private static void grant(String namespace, String name, String subjectKind, String subject,
                              io.fabric8.kubernetes.api.model.rbac.PolicyRule... rules) {
        admin.rbac().roles().inNamespace(namespace).resource(role(name, rules)).create();
        admin.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata()
                .withName(name).endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
                .addNewSubject().withKind(subjectKind).withName(subject).endSubject().build()).create();
    }

    private static io.fabric8.kubernetes.api.model.rbac.Role role(String name,
                                                                   io.fabric8.kubernetes.api.model.rbac.PolicyRule... rules) {
        return new RoleBuilder().withNewMetadata().withName(name).endMetadata().addToRules(rules).build();
    }

    private static io.fabric8.kubernetes.api.model.rbac.RoleBinding binding(String name, String roleKind,
                                                                             String role, String account) {
        return new RoleBindingBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", roleKind, role)
                .addNewSubject().withKind("ServiceAccount").withName(account).endSubject().build();
    }

    private static io.fabric8.kubernetes.api.model.Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withServiceAccountName("default").addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().build();
    }

    private static String token(String namespace, String account) {
        return AuthzSupport.token(admin, namespace, account);
    }

    private static KubernetesClient asServiceAccount(String namespace, String account) {
        return AuthzSupport.asServiceAccount(api, admin, namespace, account);
    }
}
