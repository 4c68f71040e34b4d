package dev.konductor.apiserver.authz.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.apiserver.authz.PolicyRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The escalation check's question: does what a user holds cover what they grant? */
class CoverageTest {

    private static final PolicyRule READ_PODS = PolicyRule.verbs("get", "list", "watch").groups("").resources("pods")
            .rule();

    @Test
    void aSubsetIsCoveredAndTheRestIsReportedPermissionByPermission() {
        assertThat(Coverage.uncovered(List.of(READ_PODS),
                List.of(PolicyRule.verbs("get", "list").groups("").resources("pods").rule()))).isEmpty();
        assertThat(Coverage.uncovered(List.of(READ_PODS),
                List.of(PolicyRule.verbs("get", "delete").groups("").resources("pods", "secrets").rule())))
                .containsExactly(
                        PolicyRule.of(List.of("delete"), List.of(""), List.of("pods"), List.of()),
                        PolicyRule.of(List.of("get"), List.of(""), List.of("secrets"), List.of()),
                        PolicyRule.of(List.of("delete"), List.of(""), List.of("secrets"), List.of()));
    }

    @Test
    void starsCoverEverythingButOnlyInTheirOwnDimension() {
        PolicyRule all = PolicyRule.verbs("*").groups("*").resources("*").rule();
        assertThat(Coverage.uncovered(List.of(all), List.of(READ_PODS,
                PolicyRule.verbs("escalate").groups("rbac.authorization.k8s.io").resources("roles").rule()))).isEmpty();
        assertThat(Coverage.uncovered(List.of(all), List.of(PolicyRule.verbs("get").urls("/healthz").rule())))
                .as("resource rules grant no URL").hasSize(1);
        assertThat(Coverage.uncovered(List.of(PolicyRule.verbs("get").urls("/healthz/*").rule()),
                List.of(PolicyRule.verbs("get").urls("/healthz/etcd").rule()))).isEmpty();
    }

    @Test
    void subresourceStarsAndResourceNames() {
        PolicyRule anyScale = PolicyRule.verbs("update").groups("apps").resources("*/scale").rule();
        assertThat(Coverage.uncovered(List.of(anyScale),
                List.of(PolicyRule.verbs("update").groups("apps").resources("deployments/scale").rule()))).isEmpty();
        PolicyRule oneConfig = PolicyRule.verbs("get").groups("").resources("configmaps").names("a").rule();
        assertThat(Coverage.uncovered(List.of(oneConfig), List.of(oneConfig))).isEmpty();
        assertThat(Coverage.uncovered(List.of(oneConfig),
                List.of(PolicyRule.verbs("get").groups("").resources("configmaps").rule())))
                .as("a named grant does not cover every object").hasSize(1);
    }

    @Test
    void missingPermissionsAreCompactedByVerb() {
        List<PolicyRule> missing = Coverage.uncovered(List.of(),
                List.of(PolicyRule.verbs("get", "list").groups("").resources("pods").rule()));
        assertThat(Coverage.compact(missing)).containsExactly(
                PolicyRule.of(List.of("get", "list"), List.of(""), List.of("pods"), List.of()));
    }
}
