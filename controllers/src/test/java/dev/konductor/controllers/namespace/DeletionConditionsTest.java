package dev.konductor.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeletionConditionsTest {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant T1 = Instant.parse("2025-01-01T00:01:00Z");

    static DeletionConditions.Findings clean() {
        return new DeletionConditions.Findings(null, 0, null, List.of(), Map.of(), Map.of());
    }

    @Test
    void aCleanPassSetsEveryConditionFalseWithUpstreamsReasons() {
        List<NamespaceCondition> merged = DeletionConditions.merge(null, DeletionConditions.wanted(clean(), T0), T0);

        assertThat(merged).extracting(NamespaceCondition::getType).containsExactlyElementsOf(DeletionConditions.TYPES);
        assertThat(merged).allMatch(c -> c.getStatus().equals("False"));
        assertThat(merged).extracting(NamespaceCondition::getReason).containsExactly("ResourcesDiscovered",
                "ParsedGroupVersions", "ContentDeleted", "ContentRemoved", "ContentHasNoFinalizers");
        assertThat(merged).extracting(NamespaceCondition::getMessage).containsExactly(
                "All resources successfully discovered", "All legacy kube types successfully parsed",
                "All content successfully deleted, may be waiting on finalization", "All content successfully removed",
                "All content-preserving finalizers finished");
        assertThat(merged.get(0).getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
    }

    @Test
    void failuresAreWordedAsUpstreamWordsThem() {
        var findings = new DeletionConditions.Findings(
                "unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: unavailable", 1,
                "unexpected GroupVersion string: a/b/c",
                List.of("unexpected items still remain in namespace: ns for gvr: /v1, Resource=pods", "boom"),
                Map.of("pods.", 2, "deployments.apps", 1, "secrets.", 0),
                Map.of("example.com/b", 1, "example.com/a", 3));

        Map<String, NamespaceCondition> c = byType(DeletionConditions.merge(List.of(),
                DeletionConditions.wanted(findings, T0), T0));

        assertThat(c.get("NamespaceDeletionDiscoveryFailure").getReason()).isEqualTo("DiscoveryFailed");
        assertThat(c.get("NamespaceDeletionDiscoveryFailure").getMessage()).isEqualTo("Discovery failed for some "
                + "groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: "
                + "unavailable");
        assertThat(c.get("NamespaceDeletionGroupVersionParsingFailure").getReason())
                .isEqualTo("GroupVersionParsingFailed");
        assertThat(c.get("NamespaceDeletionContentFailure").getMessage()).isEqualTo("Failed to delete all resource "
                + "types, 2 remaining: boom, unexpected items still remain in namespace: ns for gvr: /v1, Resource=pods");
        assertThat(c.get("NamespaceContentRemaining").getMessage())
                .isEqualTo("Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 "
                        + "resource instances");
        assertThat(c.get("NamespaceFinalizersRemaining").getReason()).isEqualTo("SomeFinalizersRemain");
        assertThat(c.get("NamespaceFinalizersRemaining").getMessage()).isEqualTo("Some content in the namespace has "
                + "finalizers remaining: example.com/a in 3 resource instances, example.com/b in 1 resource instances");
        assertThat(c.values()).allMatch(x -> x.getStatus().equals("True"));
    }

    @Test
    void theTransitionTimeMovesOnlyWhenTheStatusFlips() {
        var remaining = new DeletionConditions.Findings(null, 0, null, List.of(), Map.of("pods.", 1), Map.of());
        List<NamespaceCondition> first = DeletionConditions.merge(null, DeletionConditions.wanted(remaining, T0), T0);

        var fewer = new DeletionConditions.Findings(null, 0, null, List.of(), Map.of("pods.", 2), Map.of());
        List<NamespaceCondition> second = DeletionConditions.merge(first, DeletionConditions.wanted(fewer, T1), T1);
        assertThat(byType(second).get("NamespaceContentRemaining").getLastTransitionTime())
                .as("message changed, status did not").isEqualTo("2025-01-01T00:00:00Z");
        assertThat(byType(second).get("NamespaceContentRemaining").getMessage()).contains("pods. has 2");

        List<NamespaceCondition> third = DeletionConditions.merge(second, DeletionConditions.wanted(clean(), T1), T1);
        assertThat(byType(third).get("NamespaceContentRemaining").getStatus()).isEqualTo("False");
        assertThat(byType(third).get("NamespaceContentRemaining").getLastTransitionTime())
                .isEqualTo("2025-01-01T00:01:00Z");
        assertThat(byType(third).get("NamespaceDeletionDiscoveryFailure").getLastTransitionTime())
                .isEqualTo("2025-01-01T00:00:00Z");
    }

    @Test
    void nothingChangedMeansNoWrite() {
        List<NamespaceCondition> first = DeletionConditions.merge(null, DeletionConditions.wanted(clean(), T0), T0);
        assertThat(DeletionConditions.merge(first, DeletionConditions.wanted(clean(), T1), T1)).isNull();
    }

    @Test
    void otherConditionsAreKept() {
        NamespaceCondition foreign = new NamespaceConditionBuilder().withType("Example").withStatus("True").build();
        List<NamespaceCondition> merged = DeletionConditions.merge(List.of(foreign),
                DeletionConditions.wanted(clean(), T0), T0);
        assertThat(merged).extracting(NamespaceCondition::getType).startsWith("Example").hasSize(6);
    }

    private static Map<String, NamespaceCondition> byType(List<NamespaceCondition> conditions) {
        return conditions.stream().collect(java.util.stream.Collectors.toMap(NamespaceCondition::getType, c -> c));
    }
}
