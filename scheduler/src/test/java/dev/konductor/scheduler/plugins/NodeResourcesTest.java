package dev.konductor.scheduler.plugins;

import static dev.konductor.scheduler.plugins.Fixtures.info;
import static dev.konductor.scheduler.plugins.Fixtures.node;
import static dev.konductor.scheduler.plugins.Fixtures.nodeInfo;
import static dev.konductor.scheduler.plugins.Fixtures.pod;
import static dev.konductor.scheduler.plugins.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.PodInfo;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeResourcesTest {

    private final NodeResourcesFit fit = new NodeResourcesFit(ScoringStrategy.DEFAULT);

    @Test
    void requestsCountInitContainersSidecarsAndOverhead() {
        PodInfo pod = info(pod("p", "200m", "100Mi").editSpec()
                .addToInitContainers(new ContainerBuilder().withName("init").withNewResources()
                        .addToRequests("cpu", new Quantity("1")).endResources().build())
                .addToInitContainers(new ContainerBuilder().withName("sidecar").withRestartPolicy("Always")
                        .withNewResources().addToRequests("cpu", new Quantity("100m")).endResources().build())
                .addToOverhead("cpu", new Quantity("50m")).endSpec());
        // containers 200m + sidecar 100m = 300m; the init container alone peaks at 1000m; plus 50m overhead
        assertThat(pod.requests().milliCpu()).isEqualTo(1050);
        assertThat(pod.requests().memory()).isEqualTo(100L * 1024 * 1024);

        PodInfo sidecarFirst = info(pod("q", "200m", null).editSpec()
                .addToInitContainers(new ContainerBuilder().withName("sidecar").withRestartPolicy("Always")
                        .withNewResources().addToRequests("cpu", new Quantity("500m")).endResources().build())
                .addToInitContainers(new ContainerBuilder().withName("init").withNewResources()
                        .addToRequests("cpu", new Quantity("600m")).endResources().build()).endSpec());
        // the init container runs beside the sidecar started before it: 1100m > 200m + 500m
        assertThat(sidecarFirst.requests().milliCpu()).isEqualTo(1100);
    }

    @Test
    void insufficientResourcesAreAllListed() {
        NodeInfo node = nodeInfo(node("n1", "1", "1Gi").build(), pod("existing", "800m", "512Mi").build());
        PodInfo pod = info(pod("p", "300m", "600Mi"));
        assertThat(fit.filter(state(node), pod, node).message()).isEqualTo("Insufficient cpu, Insufficient memory");
        assertThat(fit.filter(state(node), info(pod("small", "200m", "100Mi")), node).isSuccess()).isTrue();
    }

    @Test
    void podCountAndExtendedResources() {
        NodeInfo full = nodeInfo(node("n1", "4", "8Gi").editStatus().addToAllocatable("pods", new Quantity("1"))
                .endStatus().build(), pod("existing").build());
        assertThat(fit.filter(state(full), info(pod("p")), full).message()).isEqualTo("Too many pods");

        NodeInfo gpu = nodeInfo(node("gpu", "4", "8Gi").editStatus()
                .addToAllocatable("example.com/gpu", new Quantity("1")).endStatus().build());
        PodInfo wantsTwo = info(pod("g").editSpec().editFirstContainer().withNewResources()
                .addToRequests(Map.of("example.com/gpu", new Quantity("2"))).endResources().endContainer().endSpec());
        assertThat(fit.filter(state(gpu), wantsTwo, gpu).message()).isEqualTo("Insufficient example.com/gpu");
        NodeInfo plain = nodeInfo(node("plain"));
        assertThat(fit.filter(state(plain), wantsTwo, plain).message()).isEqualTo("Insufficient example.com/gpu");
    }

    @ParameterizedTest
    @CsvSource({
        // strategy, score of the empty node, score of the half-used node
        "LeastAllocated, 87, 37",
        "MostAllocated, 12, 62",
    })
    void scoringStrategies(ScoringStrategy.Type type, long emptyScore, long halfScore) {
        NodeResourcesFit plugin = new NodeResourcesFit(new ScoringStrategy(type, null, null));
        NodeInfo empty = nodeInfo(node("empty", "4", "8Gi").build());
        NodeInfo half = nodeInfo(node("half", "4", "8Gi").build(), pod("x", "2", "4Gi").build());
        PodInfo pod = info(pod("p", "500m", "1Gi"));
        assertThat(plugin.score(state(empty), pod, empty)).isEqualTo(emptyScore);
        assertThat(plugin.score(state(half), pod, half)).isEqualTo(halfScore);
    }

    @Test
    void podsWithoutRequestsStillSpreadByTheDefaultRequests() {
        NodeInfo node = nodeInfo(node("n", "1", "1000Mi").build());
        PodInfo pod = info(pod("p"));
        assertThat(pod.requests().isZero()).isTrue();
        assertThat(pod.nonZeroRequests().milliCpu()).isEqualTo(100);
        // cpu (1000-100)*100/1000 = 90, memory (1000Mi-200Mi)*100/1000Mi = 80
        assertThat(fit.score(state(node), pod, node)).isEqualTo(85);
    }

    @Test
    void balancedAllocationPrefersEvenUse() {
        BalancedAllocation plugin = new BalancedAllocation(List.of("cpu", "memory"));
        NodeInfo cpuHeavy = nodeInfo(node("c", "4", "8Gi").build(), pod("x", "3", "1Gi").build());
        NodeInfo even = nodeInfo(node("e", "4", "8Gi").build(), pod("y", "2", "4Gi").build());
        PodInfo pod = info(pod("p", "1", "2Gi"));
        // fractions 1.0 and 0.375 -> std 0.3125 -> 68; 0.75 and 0.75 -> 100
        assertThat(plugin.score(state(cpuHeavy), pod, cpuHeavy)).isEqualTo(68);
        assertThat(plugin.score(state(even), pod, even)).isEqualTo(100);
    }
}
