package dev.konductor.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.ApiDiscovery;
import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** One deletion pass over a fake API. */
class NamespaceDeleterTest {

    static final Set<String> ALL = Set.of("list", "delete", "deletecollection", "get");
    static final ApiResource PODS = new ApiResource("", "v1", "pods", "Pod", true, ALL);
    static final ApiResource CONFIGMAPS = new ApiResource("", "v1", "configmaps", "ConfigMap", true, ALL);
    static final ApiResource WIDGETS = new ApiResource("example.com", "v1", "widgets", "Widget", true,
            Set.of("list", "delete", "get"));
    static final ApiResource NODES = new ApiResource("", "v1", "nodes", "Node", false, ALL);
    static final ApiResource BINDINGS = new ApiResource("", "v1", "bindings", "Binding", true, Set.of("create"));

    static final Instant DELETED = Instant.parse("2025-01-01T00:00:00Z");

    private final FakeContent content = new FakeContent();
    private final NamespaceDeleter deleter = new NamespaceDeleter(content);

    @Test
    void everyNamespacedDeletableTypeIsEmptiedCustomResourcesIncluded() {
        content.add(CONFIGMAPS, item("cm"));
        content.add(WIDGETS, item("w1"));
        content.add(WIDGETS, item("w2"));

        NamespaceDeleter.Outcome outcome = deleter.deleteAllContent("ns", DELETED, DELETED.plusSeconds(1));

        assertThat(outcome.empty()).isTrue();
        assertThat(content.calls).contains("deletecollection configmaps.", "delete widgets.example.com w1",
                "delete widgets.example.com w2");
        assertThat(content.calls).noneMatch(c -> c.contains("nodes.") || c.contains("bindings."));
    }

    @Test
    void podsInTheirGracePeriodAskForAWaitNotAnError() {
        content.add(PODS, pod("p", 30, "Running"));
        content.keep.add("p");

        NamespaceDeleter.Outcome outcome = deleter.deleteAllContent("ns", DELETED, DELETED.plusSeconds(5));

        assertThat(outcome.estimateSeconds()).isEqualTo(30);
        assertThat(outcome.errors()).isEmpty();
        assertThat(outcome.findings().remaining()).containsEntry("pods.", 1);
    }

    @Test
    void podsPastTheirGracePeriodAreAnError() {
        content.add(PODS, pod("p", 30, "Running"));
        content.keep.add("p");

        NamespaceDeleter.Outcome outcome = deleter.deleteAllContent("ns", DELETED, DELETED.plusSeconds(31));

        assertThat(outcome.estimateSeconds()).isZero();
        assertThat(outcome.errors()).containsExactly(
                "unexpected items still remain in namespace: ns for gvr: /v1, Resource=pods");
        assertThat(outcome.findings().contentErrors()).hasSize(1);
    }

    @Test
    void podsThatWentAtOnceNeedNoWait() {
        content.add(PODS, pod("p", 30, "Pending"));

        NamespaceDeleter.Outcome outcome = deleter.deleteAllContent("ns", DELETED, DELETED.plusSeconds(1));

        assertThat(outcome.empty()).isTrue();
    }

    @Test
    void finishedPodsDoNotCountTowardsTheEstimate() {
        content.add(PODS, pod("done", 30, "Succeeded"));

        assertThat(deleter.deleteAllContent("ns", DELETED, DELETED).estimateSeconds()).isZero();
    }

    @Test
    void contentHeldByFinalizersIsCountedPerFinalizer() {
        GenericKubernetesResource held = item("cm");
        held.getMetadata().setFinalizers(List.of("example.com/a", "example.com/b"));
        content.add(CONFIGMAPS, held);
        content.keep.add("cm");

        NamespaceDeleter.Outcome outcome = deleter.deleteAllContent("ns", DELETED, DELETED);

        assertThat(outcome.estimateSeconds()).isEqualTo(NamespaceDeleter.FINALIZER_ESTIMATE_SECONDS);
        assertThat(outcome.findings().finalizersRemaining()).containsEntry("example.com/a", 1)
                .containsEntry("example.com/b", 1);
        assertThat(outcome.errors()).isEmpty();
    }

    @Test
    void aGroupThatFailsDiscoveryIsReportedWhileTheOthersAreStillEmptied() {
        content.failedGroups.put("metrics.k8s.io/v1beta1", "the server is currently unable to handle the request");
        content.add(CONFIGMAPS, item("cm"));

        NamespaceDeleter.Outcome outcome = deleter.deleteAllContent("ns", DELETED, DELETED);

        assertThat(content.objects.get(CONFIGMAPS)).isEmpty();
        assertThat(outcome.findings().failingGroups()).isEqualTo(1);
        assertThat(outcome.findings().discoveryFailure()).isEqualTo("unable to retrieve the complete list of server "
                + "APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request");
        assertThat(outcome.empty()).as("a discovery failure keeps the namespace").isFalse();
    }

    @Test
    void aFailingDeletionIsReportedAndTheRestStillDeleted() {
        content.add(CONFIGMAPS, item("cm"));
        content.add(WIDGETS, item("w"));
        content.failing.add(WIDGETS);

        NamespaceDeleter.Outcome outcome = deleter.deleteAllContent("ns", DELETED, DELETED);

        assertThat(content.objects.get(CONFIGMAPS)).isEmpty();
        assertThat(outcome.findings().contentErrors()).containsExactly("widgets are broken");
    }

    // --- fixtures

    static GenericKubernetesResource item(String name) {
        return new GenericKubernetesResourceBuilder().withNewMetadata().withName(name).withNamespace("ns")
                .endMetadata().build();
    }

    static GenericKubernetesResource pod(String name, int grace, String phase) {
        GenericKubernetesResource pod = item(name);
        pod.setAdditionalProperty("spec", Map.of("terminationGracePeriodSeconds", grace));
        pod.setAdditionalProperty("status", Map.of("phase", phase));
        return pod;
    }

    static final class FakeContent implements NamespaceContent {
        final Map<ApiResource, List<GenericKubernetesResource>> objects = new HashMap<>();
        final Map<String, String> failedGroups = new TreeMap<>();
        final List<String> keep = new ArrayList<>();
        final List<ApiResource> failing = new ArrayList<>();
        final List<String> calls = new ArrayList<>();

        void add(ApiResource r, GenericKubernetesResource obj) {
            objects.computeIfAbsent(r, k -> new ArrayList<>()).add(obj);
        }

        @Override
        public ApiDiscovery.Result discover() {
            return new ApiDiscovery.Result(List.of(PODS, CONFIGMAPS, WIDGETS, NODES, BINDINGS), failedGroups);
        }

        @Override
        public boolean deleteCollection(ApiResource resource, String namespace) {
            calls.add("deletecollection " + resource.groupResource());
            fail(resource);
            objects.getOrDefault(resource, new ArrayList<>()).removeIf(o -> !keep.contains(o.getMetadata().getName()));
            return true;
        }

        @Override
        public List<GenericKubernetesResource> list(ApiResource resource, String namespace) {
            return List.copyOf(objects.getOrDefault(resource, List.of()));
        }

        @Override
        public void delete(ApiResource resource, String namespace, String name) {
            calls.add("delete " + resource.groupResource() + " " + name);
            fail(resource);
            objects.getOrDefault(resource, new ArrayList<>()).removeIf(o -> o.getMetadata().getName().equals(name)
                    && !keep.contains(name));
        }

        private void fail(ApiResource resource) {
            if (failing.contains(resource)) {
                throw new IllegalStateException(resource.plural() + " are broken");
            }
        }
    }
}
