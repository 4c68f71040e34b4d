package dev.konductor.apiserver.authz.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.admission.Admission;
import dev.konductor.apiserver.authn.UserInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Writing roles and bindings cannot grant more than the writer holds, unless they may escalate or bind. */
class EscalationCheckTest {

    private static final ResourceRegistry REGISTRY = ResourceRegistry.builtIn();
    private static final ResourceType ROLES = REGISTRY.byPlural("rbac.authorization.k8s.io", "v1", "roles").orElseThrow();
    private static final ResourceType BINDINGS = REGISTRY.byPlural("rbac.authorization.k8s.io", "v1", "rolebindings")
            .orElseThrow();
    private static final UserInfo LEAD = UserInfo.of("lead", List.of());

    private final InMemoryRbac objects = new InMemoryRbac()
            .add("{'kind':'Role','metadata':{'name':'team','namespace':'shop'},'rules':[{'apiGroups':[''],"
                    + "'resources':['pods'],'verbs':['get','list']},{'apiGroups':['rbac.authorization.k8s.io'],"
                    + "'resources':['roles','rolebindings'],'verbs':['create','update']}]}")
            .add("{'kind':'RoleBinding','metadata':{'name':'lead','namespace':'shop'},'roleRef':{'kind':'Role',"
                    + "'name':'team'},'subjects':[{'kind':'User','name':'lead'}]}")
            .add("{'kind':'ClusterRole','metadata':{'name':'admin'},'rules':[{'apiGroups':['*'],'resources':['*'],"
                    + "'verbs':['*']}]}");
    private final RuleResolver resolver = new RuleResolver(objects);
    private final EscalationCheck check = new EscalationCheck(new RbacAuthorizer(resolver), resolver);

    @Test
    void aRoleWithinTheWritersRulesIsFineOneBeyondIsForbidden() {
        assertThatCode(() -> create(ROLES, "{'metadata':{'name':'r','namespace':'shop'},'rules':[{'apiGroups':[''],"
                + "'resources':['pods'],'verbs':['get']}]}", LEAD)).doesNotThrowAnyException();
        assertThatThrownBy(() -> create(ROLES, "{'metadata':{'name':'r','namespace':'shop'},'rules':[{'apiGroups':[''],"
                + "'resources':['pods','secrets'],'verbs':['get','delete']}]}", LEAD))
                .isInstanceOf(StatusException.class)
                .hasMessage("roles.rbac.authorization.k8s.io \"r\" is forbidden: user \"lead\" (groups="
                        + "[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
                        + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}\n"
                        + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"delete\"]}");
    }

    @Test
    void bindingARoleIsGrantingItsRules() {
        assertThatCode(() -> create(BINDINGS, "{'metadata':{'name':'b','namespace':'shop'},'roleRef':{'kind':'Role',"
                + "'name':'team','apiGroup':'rbac.authorization.k8s.io'}}", LEAD)).doesNotThrowAnyException();
        assertThatThrownBy(() -> create(BINDINGS, "{'metadata':{'name':'b','namespace':'shop'},'roleRef':"
                + "{'kind':'ClusterRole','name':'admin','apiGroup':'rbac.authorization.k8s.io'}}", LEAD))
                .hasMessageStartingWith("rolebindings.rbac.authorization.k8s.io \"b\" is forbidden");
        assertThatThrownBy(() -> create(BINDINGS, "{'metadata':{'name':'b','namespace':'shop'},'roleRef':"
                + "{'kind':'ClusterRole','name':'ghost','apiGroup':'rbac.authorization.k8s.io'}}", LEAD))
                .hasMessage("clusterroles.rbac.authorization.k8s.io \"ghost\" not found");
    }

    @Test
    void escalateAndBindPermissionsAndSystemMastersSkipTheCheck() {
        objects.add("{'kind':'Role','metadata':{'name':'power','namespace':'shop'},'rules':[{'apiGroups':"
                        + "['rbac.authorization.k8s.io'],'resources':['roles'],'verbs':['escalate']},{'apiGroups':"
                        + "['rbac.authorization.k8s.io'],'resources':['clusterroles'],'resourceNames':['admin'],"
                        + "'verbs':['bind']}]}")
                .add("{'kind':'RoleBinding','metadata':{'name':'power','namespace':'shop'},'roleRef':{'kind':'Role',"
                        + "'name':'power'},'subjects':[{'kind':'User','name':'lead'}]}");
        assertThatCode(() -> create(ROLES, "{'metadata':{'name':'r','namespace':'shop'},'rules':[{'apiGroups':['*'],"
                + "'resources':['*'],'verbs':['*']}]}", LEAD)).doesNotThrowAnyException();
        assertThatCode(() -> create(BINDINGS, "{'metadata':{'name':'b','namespace':'shop'},'roleRef':"
                + "{'kind':'ClusterRole','name':'admin','apiGroup':'rbac.authorization.k8s.io'}}", LEAD))
                .doesNotThrowAnyException();
        assertThatCode(() -> create(ROLES, "{'metadata':{'name':'r','namespace':'other'},'rules':[{'apiGroups':['*'],"
                + "'resources':['*'],'verbs':['*']}]}", UserInfo.of("root", List.of("system:masters"))))
                .doesNotThrowAnyException();
    }

    @Test
    void anUpdateThatKeepsTheGrantIsNotChecked() {
        var old = InMemoryRbac.object("{'metadata':{'name':'r','namespace':'shop'},'rules':[{'apiGroups':['*'],"
                + "'resources':['*'],'verbs':['*']}]}");
        var relabelled = old.deepCopy();
        relabelled.withObject("metadata").putObject("labels").put("team", "blue");
        assertThatCode(() -> check.admit(Admission.Operation.UPDATE, ROLES, relabelled, old, request(LEAD)))
                .doesNotThrowAnyException();
        assertThat(relabelled.path("rules")).isEqualTo(old.path("rules"));
    }

    private void create(ResourceType type, String json, UserInfo user) {
        check.admit(Admission.Operation.CREATE, type, InMemoryRbac.object(json), null, request(user));
    }

    private static Admission.Request request(UserInfo user) {
        return new Admission.Request(user, "", false);
    }
}
