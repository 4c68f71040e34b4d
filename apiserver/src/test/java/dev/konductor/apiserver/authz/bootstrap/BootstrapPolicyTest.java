package dev.konductor.apiserver.authz.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shipped policy holds together, and restarts restore what it ships without taking anything away. */
class BootstrapPolicyTest {

    @Test
    void everyBindingRefersToAShippedRole() {
        Set<String> clusterRoles = BootstrapPolicy.clusterRoles().stream().map(BootstrapPolicyTest::name)
                .collect(Collectors.toSet());
        assertThat(clusterRoles).contains("cluster-admin", "admin", "edit", "view", "system:discovery",
                "system:basic-user", "system:public-info-viewer", "system:kube-scheduler", "system:node");
        for (ObjectNode binding : BootstrapPolicy.clusterRoleBindings()) {
            assertThat(clusterRoles).as(name(binding)).contains(binding.path("roleRef").path("name").asText());
        }
        Set<String> roles = BootstrapPolicy.roles().stream().map(BootstrapPolicyTest::name).collect(Collectors.toSet());
        BootstrapPolicy.roleBindings().forEach(b -> assertThat(roles).contains(b.path("roleRef").path("name").asText()));
    }

    @Test
    void theUserFacingRolesAggregateIntoEachOther() {
        ObjectNode edit = role("edit");
        assertThat(edit.path("metadata").path("labels").path("rbac.authorization.k8s.io/aggregate-to-admin").asText())
                .isEqualTo("true");
        assertThat(edit.has("rules")).isFalse();
        assertThat(role("system:aggregate-to-view").path("metadata").path("labels")
                .path("rbac.authorization.k8s.io/aggregate-to-view").asText()).isEqualTo("true");
        assertThat(role("system:aggregate-to-edit").path("metadata").path("annotations")
                .path("rbac.authorization.kubernetes.io/autoupdate").asText()).isEqualTo("true");
    }

    @Test
    void reconciliationAddsBackWhatWasLostAndKeepsWhatWasAdded() {
        ObjectNode shipped = role("system:basic-user");
        ObjectNode edited = shipped.deepCopy();
        edited.withArray("rules").remove(0);
        edited.withArray("rules").addObject().putArray("verbs").add("get");
        edited.withObject("metadata").withObject("labels").put("mine", "yes");

        ObjectNode reconciled = PolicyReconciliation.reconciled(shipped, edited).orElseThrow();
        assertThat(reconciled.path("rules")).hasSize(3);
        assertThat(reconciled.path("metadata").path("labels").path("mine").asText()).isEqualTo("yes");
        assertThat(PolicyReconciliation.reconciled(shipped, reconciled)).isEmpty();
    }

    @Test
    void autoupdateFalseIsLeftAlone() {
        ObjectNode shipped = role("system:monitoring");
        ObjectNode edited = shipped.deepCopy();
        edited.withObject("metadata").withObject("annotations").put(BootstrapPolicy.AUTOUPDATE, "false");
        edited.putArray("rules");
        assertThat(PolicyReconciliation.reconciled(shipped, edited)).isEmpty();
    }

    @Test
    void bindingsGetTheirSubjectsBackAndAChangedRoleRefIsReplaced() {
        ObjectNode shipped = binding("system:discovery");
        ObjectNode emptied = shipped.deepCopy();
        emptied.putArray("subjects");
        assertThat(PolicyReconciliation.reconciled(shipped, emptied).orElseThrow().path("subjects")).hasSize(1);

        ObjectNode repointed = shipped.deepCopy();
        repointed.withObject("roleRef").put("name", "view");
        repointed.withArray("subjects").addObject().put("kind", "User").put("name", "jane");
        ObjectNode replacement = PolicyReconciliation.reconciled(shipped, repointed).orElseThrow();
        assertThat(PolicyReconciliation.replaces(replacement, repointed)).isTrue();
        assertThat(replacement.path("roleRef").path("name").asText()).isEqualTo("system:discovery");
        assertThat(replacement.path("subjects").findValuesAsText("name")).contains("system:authenticated", "jane");
    }

    private static ObjectNode role(String name) {
        return find(BootstrapPolicy.clusterRoles(), name);
    }

    private static ObjectNode binding(String name) {
        return find(BootstrapPolicy.clusterRoleBindings(), name);
    }

    private static ObjectNode find(List<ObjectNode> objects, String name) {
        return objects.stream().filter(o -> name(o).equals(name)).findFirst().orElseThrow();
    }

    private static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }
}
