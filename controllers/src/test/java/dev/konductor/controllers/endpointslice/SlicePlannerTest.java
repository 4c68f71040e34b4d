package dev.konductor.controllers.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.endpoints.DesiredEndpointsTest;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlicePlannerTest {

    private final AtomicInteger names = new AtomicInteger();

    static Service service() {
        return new ServiceBuilder(DesiredEndpointsTest.service("web", false, new IntOrString("web"))).editMetadata()
                .withUid("svc-uid").addToLabels("tier", "front").endMetadata().build();
    }

    private static List<Pod> pods(int count) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pods.add(DesiredEndpointsTest.pod("p" + i, "10.1." + (i / 200) + "." + (i % 200), true));
        }
        return pods;
    }

    /** What the server would hold after the plan: created slices get names. */
    private List<EndpointSlice> apply(List<EndpointSlice> existing, SlicePlanner.Plan plan) {
        List<EndpointSlice> result = new ArrayList<>(existing);
        plan.delete().forEach(d -> result.removeIf(s -> s.getMetadata().getName().equals(d.getMetadata().getName())));
        plan.update().forEach(u -> {
            result.removeIf(s -> s.getMetadata().getName().equals(u.getMetadata().getName()));
            result.add(u);
        });
        plan.create().forEach(c -> result.add(new EndpointSliceBuilder(c).editMetadata()
                .withName(c.getMetadata().getGenerateName() + names.incrementAndGet()).endMetadata().build()));
        return result;
    }

    private static int endpointCount(List<EndpointSlice> slices) {
        return slices.stream().mapToInt(s -> s.getEndpoints().size()).sum();
    }

    @Test
    void aNewServiceGetsSlicesOfAtMostTheLimitWithLabelsOwnerAndConditions() {
        SlicePlanner planner = new SlicePlanner(100);
        SlicePlanner.Plan plan = planner.plan(service(), pods(250), Map.of("node-1", "zone-a"), List.of(),
                Optional.of("2025-01-01T00:00:00Z"));

        assertThat(plan.create()).hasSize(3);
        assertThat(plan.create()).extracting(s -> s.getEndpoints().size()).containsExactly(100, 100, 50);
        EndpointSlice first = plan.create().getFirst();
        assertThat(first.getMetadata().getGenerateName()).isEqualTo("web-");
        assertThat(first.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "web")
                .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
                .containsEntry("tier", "front");
        assertThat(first.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Service");
            assertThat(o.getUid()).isEqualTo("svc-uid");
            assertThat(o.getController()).isTrue();
        });
        assertThat(first.getAddressType()).isEqualTo("IPv4");
        assertThat(first.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(8080);
        });
        Endpoint endpoint = first.getEndpoints().getFirst();
        assertThat(endpoint.getConditions().getReady()).isTrue();
        assertThat(endpoint.getConditions().getServing()).isTrue();
        assertThat(endpoint.getConditions().getTerminating()).isFalse();
        assertThat(endpoint.getNodeName()).isEqualTo("node-1");
        assertThat(endpoint.getZone()).isEqualTo("zone-a");
        assertThat(endpoint.getTargetRef().getName()).isEqualTo("p0");
    }

    @Test
    void anUnchangedWorldNeedsNoWritesAndChangesTouchOnlyTheirSlice() {
        SlicePlanner planner = new SlicePlanner(100);
        List<Pod> pods = new ArrayList<>(pods(150));
        List<EndpointSlice> slices = apply(List.of(), planner.plan(service(), pods, Map.of(), List.of(), Optional.empty()));

        SlicePlanner.Plan again = planner.plan(service(), pods, Map.of(), slices, Optional.empty());
        assertThat(again.create()).isEmpty();
        assertThat(again.update()).isEmpty();
        assertThat(again.delete()).isEmpty();

        pods.set(120, new PodBuilder(pods.get(120)).editStatus().editFirstCondition().withStatus("False").endCondition()
                .endStatus().build());
        SlicePlanner.Plan oneNotReady = planner.plan(service(), pods, Map.of(), slices, Optional.empty());
        assertThat(oneNotReady.update()).hasSize(1);
        assertThat(oneNotReady.create()).isEmpty();
        slices = apply(slices, oneNotReady);

        pods.addAll(pods(160).subList(150, 160));
        SlicePlanner.Plan tenMore = planner.plan(service(), pods, Map.of(), slices, Optional.empty());
        assertThat(tenMore.create()).isEmpty();
        slices = apply(slices, tenMore);
        assertThat(endpointCount(slices)).isEqualTo(160);
        assertThat(slices).allSatisfy(s -> assertThat(s.getEndpoints().size()).isLessThanOrEqualTo(100));
    }

    @Test
    void terminatingPodsStayAsNotReadyTerminatingEndpoints() {
        Pod terminating = new PodBuilder(pods(1).getFirst()).editMetadata()
                .withDeletionTimestamp("2025-01-01T00:00:00Z").endMetadata().build();

        EndpointSlice slice = new SlicePlanner(100).plan(service(), List.of(terminating), Map.of(), List.of(),
                Optional.empty()).create().getFirst();

        Endpoint endpoint = slice.getEndpoints().getFirst();
        assertThat(endpoint.getConditions().getReady()).isFalse();
        assertThat(endpoint.getConditions().getServing()).isTrue();
        assertThat(endpoint.getConditions().getTerminating()).isTrue();
    }

    @Test
    void aServiceWithoutEndpointsKeepsOnePlaceholderAndEmptiedSlicesGo() {
        SlicePlanner planner = new SlicePlanner(100);
        SlicePlanner.Plan none = planner.plan(service(), List.of(), Map.of(), List.of(), Optional.empty());
        assertThat(none.create()).singleElement().satisfies(s -> {
            assertThat(s.getEndpoints()).isEmpty();
            assertThat(s.getPorts()).isEmpty();
        });
        List<EndpointSlice> slices = apply(List.of(), none);

        slices = apply(slices, planner.plan(service(), pods(150), Map.of(), slices, Optional.empty()));
        assertThat(slices).hasSize(2);
        assertThat(endpointCount(slices)).isEqualTo(150);

        SlicePlanner.Plan few = planner.plan(service(), pods(150).subList(0, 10), Map.of(), slices, Optional.empty());
        slices = apply(slices, few);
        assertThat(slices).hasSize(1);
        assertThat(endpointCount(slices)).isEqualTo(10);

        slices = apply(slices, planner.plan(service(), List.of(), Map.of(), slices, Optional.empty()));
        assertThat(slices).singleElement().satisfies(s -> assertThat(s.getEndpoints()).isEmpty());
    }

    @Test
    void slicesOfAnotherServiceWithTheSameNameAreReplaced() {
        SlicePlanner planner = new SlicePlanner(100);
        List<EndpointSlice> slices = apply(List.of(), planner.plan(service(), pods(3), Map.of(), List.of(),
                Optional.empty()));
        Service recreated = new ServiceBuilder(service()).editMetadata().withUid("other-uid").endMetadata().build();

        SlicePlanner.Plan plan = planner.plan(recreated, pods(3), Map.of(), slices, Optional.empty());

        assertThat(plan.delete()).hasSize(1);
        assertThat(plan.create()).singleElement().satisfies(s -> assertThat(
                s.getMetadata().getOwnerReferences().getFirst().getUid()).isEqualTo("other-uid"));
    }
}
