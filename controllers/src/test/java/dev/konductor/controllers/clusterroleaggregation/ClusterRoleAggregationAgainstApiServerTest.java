package dev.konductor.controllers.clusterroleaggregation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.framework.Informers;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The user-facing roles of a real API server's bootstrap policy get their rules, and a CRD
 * author's role labelled aggregate-to-view extends view (and so edit and admin), as in the
 * upstream documentation's example.
 */
class ClusterRoleAggregationAgainstApiServerTest {

    @Test
    void viewEditAndAdminGatherTheirPartsAndFollowNewOnes() throws Exception {
        try (LocalApiServer api = LocalApiServer.start()) {
            KubernetesClient client = api.client();
            try (Informers informers = new Informers(client);
                 ControllerContext context = new ControllerContext(client, informers, Clock.systemUTC(),
                         ControllerSettings.defaults());
                 ClusterRoleAggregationController controller = new ClusterRoleAggregationController()) {
                controller.start(context);
                informers.startAll(10_000);

                Await.until(Duration.ofSeconds(30), "admin holds edit's and view's rules", () ->
                        rulesOf(client, "admin").stream().anyMatch(r -> r.getResources().contains("rolebindings"))
                                && rulesOf(client, "admin").stream().anyMatch(r -> r.getResources().contains("pods/exec"))
                                && rulesOf(client, "admin").stream().anyMatch(r -> r.getResources().contains("pods/log")));
                assertThat(rulesOf(client, "view")).noneMatch(r -> r.getResources().contains("secrets"));

                PolicyRule crontabs = new PolicyRuleBuilder().withApiGroups("stable.example.com")
                        .withResources("crontabs").withVerbs("get", "list", "watch").build();
                client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata()
                        .withName("aggregate-cron-tabs-view")
                        .addToLabels("rbac.authorization.k8s.io/aggregate-to-view", "true").endMetadata()
                        .withRules(crontabs).build()).create();
                Await.until(Duration.ofSeconds(30), "view, edit and admin gain the new rule", () ->
                        List.of("view", "edit", "admin").stream().allMatch(r -> rulesOf(client, r).contains(crontabs)));

                // and a user bound to view in a namespace may now read crontabs there
                client.rbac().roleBindings().inNamespace("default").resource(new RoleBindingBuilder()
                        .withNewMetadata().withName("jane-view").endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "view")
                        .addNewSubject().withKind("User").withName("jane").endSubject().build()).create();
                Await.until("jane may list crontabs", () -> client.resource(new SubjectAccessReviewBuilder()
                        .withNewSpec().withUser("jane").withNewResourceAttributes().withNamespace("default")
                        .withVerb("list").withGroup("stable.example.com").withResource("crontabs")
                        .endResourceAttributes().endSpec().build()).create().getStatus().getAllowed());
            }
        }
    }

    private static List<PolicyRule> rulesOf(KubernetesClient client, String name) {
        ClusterRole role = client.rbac().clusterRoles().withName(name).get();
        return role.getRules() == null ? List.of() : role.getRules();
    }
}
