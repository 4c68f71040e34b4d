package dev.konductor.apiserver.authz.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.apiserver.authz.Attributes;
import dev.konductor.apiserver.authz.Decision;
import dev.konductor.apiserver.authz.UserRules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bindings to users, groups and service accounts, Roles and ClusterRoles, and what RBAC says about them. */
class RbacAuthorizerTest {

    private static final UserInfo READER = new UserInfo("system:serviceaccount:shop:reader", "",
            List.of("system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"), Map.of());
    private static final UserInfo JANE = UserInfo.of("jane", List.of("developers"));

    private final InMemoryRbac objects = new InMemoryRbac()
            .add("{'kind':'Role','metadata':{'name':'pod-reader','namespace':'shop'},'rules':[{'apiGroups':[''],"
                    + "'resources':['pods'],'verbs':['get','list','watch']}]}")
            .add("{'kind':'RoleBinding','metadata':{'name':'read-pods','namespace':'shop'},'roleRef':{'kind':'Role',"
                    + "'name':'pod-reader'},'subjects':[{'kind':'ServiceAccount','name':'reader'}]}")
            .add("{'kind':'ClusterRole','metadata':{'name':'deployer'},'rules':[{'apiGroups':['apps'],"
                    + "'resources':['deployments'],'verbs':['*']}]}")
            .add("{'kind':'RoleBinding','metadata':{'name':'devs-deploy','namespace':'shop'},'roleRef':"
                    + "{'kind':'ClusterRole','name':'deployer'},'subjects':[{'kind':'Group','name':'developers'}]}")
            .add("{'kind':'ClusterRoleBinding','metadata':{'name':'jane-nodes'},'roleRef':{'kind':'ClusterRole',"
                    + "'name':'node-lister'},'subjects':[{'kind':'User','name':'jane'}]}");
    private final RbacAuthorizer rbac = new RbacAuthorizer(new RuleResolver(objects));

    @Test
    void aRoleBindingGrantsItsRoleInItsNamespaceOnlyAndSaysWhichBindingDid() {
        Decision list = rbac.authorize(Attributes.resource(READER, "list", "", "pods", "", "shop", ""));
        assertThat(list.allowed()).isTrue();
        assertThat(list.reason()).isEqualTo("RBAC: allowed by RoleBinding \"read-pods/shop\" of Role \"pod-reader\" "
                + "to ServiceAccount \"reader/shop\"");
        assertThat(rbac.authorize(Attributes.resource(READER, "list", "", "pods", "", "other", "")).allowed()).isFalse();
        assertThat(rbac.authorize(Attributes.resource(READER, "delete", "", "pods", "", "shop", "x")).allowed())
                .isFalse();
    }

    @Test
    void aClusterRoleBoundInANamespaceGrantsItThereToTheGroupsMembers() {
        assertThat(rbac.authorize(Attributes.resource(JANE, "create", "apps", "deployments", "", "shop", ""))
                .allowed()).isTrue();
        assertThat(rbac.authorize(Attributes.resource(JANE, "create", "apps", "deployments", "", "prod", ""))
                .allowed()).isFalse();
    }

    @Test
    void aBindingToAMissingRoleIsReportedNotAllowed() {
        Decision decision = rbac.authorize(Attributes.resource(JANE, "list", "", "nodes", "", "", ""));
        assertThat(decision).isInstanceOf(Decision.NoOpinion.class);
        assertThat(decision.reason()).isEqualTo("RBAC: clusterrole.rbac.authorization.k8s.io \"node-lister\" not found");
    }

    @Test
    void aServiceAccountSubjectNeedsItsNamespace() {
        UserInfo sameNameElsewhere = UserInfo.of("system:serviceaccount:other:reader", List.of());
        assertThat(rbac.authorize(Attributes.resource(sameNameElsewhere, "list", "", "pods", "", "shop", "")).allowed())
                .isFalse();
    }

    @Test
    void theRulesOfAUserInANamespace() {
        UserRules rules = rbac.rulesFor(JANE, "shop");
        assertThat(rules.rules()).hasSize(1);
        assertThat(rules.incomplete()).isTrue();
        assertThat(rules.errors()).containsExactly("clusterrole.rbac.authorization.k8s.io \"node-lister\" not found");
    }
}
