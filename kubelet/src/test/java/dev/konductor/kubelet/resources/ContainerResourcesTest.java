package dev.konductor.kubelet.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.cri.v1.LinuxContainerResources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerResourcesTest {

    private static final long NODE_MEMORY = 8L * 1024 * 1024 * 1024;

    private static Container container(Map<String, String> requests, Map<String, String> limits) {
        return new ContainerBuilder().withName("app").withImage("busybox").withNewResources()
                .withRequests(quantities(requests)).withLimits(quantities(limits)).endResources().build();
    }

    private static Map<String, Quantity> quantities(Map<String, String> values) {
        return values.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> new Quantity(e.getValue())));
    }

    private static Pod pod(Container container) {
        return new PodBuilder().withNewMetadata().withName("p").withUid("u").endMetadata()
                .withNewSpec().withContainers(container).endSpec().build();
    }

    @Test
    void guaranteedContainerGetsSharesQuotaMemoryLimitAndTheLowestOomScore() {
        Container c = container(Map.of("cpu", "500m", "memory", "64Mi"), Map.of("cpu", "500m", "memory", "64Mi"));
        LinuxContainerResources r = ContainerResources.linux(pod(c), c, NODE_MEMORY);
        assertThat(r.getCpuShares()).isEqualTo(512);
        assertThat(r.getCpuPeriod()).isEqualTo(100_000);
        assertThat(r.getCpuQuota()).isEqualTo(50_000);
        assertThat(r.getMemoryLimitInBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(r.getOomScoreAdj()).isEqualTo(-997);
        assertThat(QosClasses.of(pod(c))).isEqualTo("Guaranteed");
    }

    @Test
    void bestEffortContainerGetsMinimalSharesNoLimitsAndTheHighestOomScore() {
        Container c = container(Map.of(), Map.of());
        LinuxContainerResources r = ContainerResources.linux(pod(c), c, NODE_MEMORY);
        assertThat(r.getCpuShares()).isEqualTo(2);
        assertThat(r.getCpuQuota()).isZero();
        assertThat(r.getMemoryLimitInBytes()).isZero();
        assertThat(r.getOomScoreAdj()).isEqualTo(1000);
        assertThat(QosClasses.of(pod(c))).isEqualTo("BestEffort");
    }

    @Test
    void cpuLimitAloneSetsTheSharesToo() {
        Container c = container(Map.of("memory", "32Mi"), Map.of("cpu", "2"));
        LinuxContainerResources r = ContainerResources.linux(pod(c), c, NODE_MEMORY);
        assertThat(r.getCpuShares()).isEqualTo(2048);
        assertThat(r.getCpuQuota()).isEqualTo(200_000);
    }

    @Test
    void tinyCpuLimitsAreRaisedToTheKernelsMinimumQuota() {
        assertThat(ContainerResources.quota(1)).isEqualTo(1_000);
        assertThat(ContainerResources.shares(1)).isEqualTo(2);
        assertThat(ContainerResources.shares(1_000_000)).isEqualTo(262_144);
    }

    @ParameterizedTest(name = "burstable requesting {0} of 8Gi: oom_score_adj {1}")
    @CsvSource({"4Gi, 500", "1Mi, 999", "0, 999", "8Gi, 3", "16Gi, 3", "2Gi, 750"})
    void burstableOomScoreFollowsTheShareOfNodeMemoryRequested(String memoryRequest, int expected) {
        Container c = container(Map.of("memory", memoryRequest, "cpu", "100m"), Map.of());
        assertThat(ContainerResources.linux(pod(c), c, NODE_MEMORY).getOomScoreAdj()).isEqualTo(expected);
    }

    @Test
    void theApiServersQosClassWins() {
        Container c = container(Map.of(), Map.of());
        Pod pod = new PodBuilder(pod(c)).withNewStatus().withQosClass("Burstable").endStatus().build();
        assertThat(QosClasses.of(pod)).isEqualTo("Burstable");
    }
}
