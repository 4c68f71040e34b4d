package dev.konductor.kubelet.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.cri.v1.ContainerAttributes;
import dev.konductor.kubelet.cri.v1.ContainerMetadata;
import dev.konductor.kubelet.cri.v1.ContainerStats;
import dev.konductor.kubelet.cri.v1.CpuUsage;
import dev.konductor.kubelet.cri.v1.MemoryUsage;
import dev.konductor.kubelet.cri.v1.UInt64Value;
import dev.konductor.kubelet.runtime.RuntimeLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerRatesTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = Instant.parse("2025-01-01T00:00:00Z").getEpochSecond() * SECOND;

    private static ContainerStats stats(String id, String pod, String container, long atNanos, long cpuNanos, long workingSet) {
        return ContainerStats.newBuilder()
                .setAttributes(ContainerAttributes.newBuilder().setId(id)
                        .setMetadata(ContainerMetadata.newBuilder().setName(container))
                        .putLabels(RuntimeLabels.POD_UID, pod).putLabels(RuntimeLabels.CONTAINER_NAME, container))
                .setCpu(CpuUsage.newBuilder().setTimestamp(atNanos)
                        .setUsageCoreNanoSeconds(UInt64Value.newBuilder().setValue(cpuNanos)))
                .setMemory(MemoryUsage.newBuilder().setTimestamp(atNanos)
                        .setWorkingSetBytes(UInt64Value.newBuilder().setValue(workingSet)))
                .build();
    }

    @Test
    void cpuIsTheRateOfTheCumulativeCounterBetweenTwoRounds() {
        ContainerRates rates = new ContainerRates();
        assertThat(rates.next(List.of(stats("c1", "uid-a", "busy", T0, 5 * SECOND, 4096)))).isEmpty();

        Map<String, ContainerRates.PodSample> second = rates.next(List.of(
                stats("c1", "uid-a", "busy", T0 + 10 * SECOND, 5 * SECOND + 9_500_000_000L, 8192)));
        ContainerRates.PodSample a = second.get("uid-a");
        assertThat(a.containers().get("busy").cpuCores()).isEqualByComparingTo("0.95");
        assertThat(a.containers().get("busy").memoryBytes()).isEqualByComparingTo("8192");
        assertThat(a.window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(a.timestamp()).isEqualTo(Instant.parse("2025-01-01T00:00:10Z"));
    }

    @Test
    void aReplacedContainerStartsOverAndAPodGathersItsContainers() {
        ContainerRates rates = new ContainerRates();
        rates.next(List.of(stats("c1", "uid-a", "app", T0, SECOND, 1), stats("c2", "uid-a", "side", T0, SECOND, 1)));
        Map<String, ContainerRates.PodSample> next = rates.next(List.of(
                stats("c1", "uid-a", "app", T0 + 4 * SECOND, 2 * SECOND, 1),
                stats("c2", "uid-a", "side", T0 + 4 * SECOND, SECOND / 2, 1), // counter went back
                stats("c3", "uid-b", "new", T0 + 4 * SECOND, SECOND, 1)));
        assertThat(next).containsOnlyKeys("uid-a");
        assertThat(next.get("uid-a").containers()).containsOnlyKeys("app");
        assertThat(next.get("uid-a").containers().get("app").cpuCores()).isEqualByComparingTo("0.25");
    }

    @Test
    void cpuSamplesGiveNoRateWithoutElapsedTime() {
        Instant at = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(new CpuSample(10, at).coresSince(new CpuSample(5, at))).isEmpty();
        assertThat(new CpuSample(2 * SECOND, at.plusSeconds(1)).coresSince(new CpuSample(0, at)))
                .hasValueSatisfying(cores -> assertThat(cores).isEqualByComparingTo("2"));
    }

    @Test
    void podMetricsListEveryContainerInSpecOrderAsMetricsServerWritesUsage() {
        Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("uid-a")
                .addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").endContainer().addNewContainer().withName("side")
                .endContainer().endSpec().build();
        Usage app = new Usage(new BigDecimal("0.95"), BigDecimal.valueOf(8192));
        Usage side = new Usage(new BigDecimal("0.000123456"), BigDecimal.valueOf(1000));
        assertThat(ResourceMetricsCollector.inSpecOrder(pod, Map.of("app", app))).isEmpty();

        Map<String, Usage> both = ResourceMetricsCollector.inSpecOrder(pod, Map.of("side", side, "app", app)).orElseThrow();
        PodMetrics m = MetricsObjects.podMetrics(pod, both, Instant.parse("2025-01-01T00:00:10.5Z"), Duration.ofSeconds(10));
        assertThat(m.getContainers()).extracting(c -> c.getName()).containsExactly("app", "side");
        assertThat(m.getContainers().get(0).getUsage().get("cpu").toString()).isEqualTo("950m");
        assertThat(m.getContainers().get(0).getUsage().get("memory").toString()).isEqualTo("8Ki");
        assertThat(m.getContainers().get(1).getUsage().get("cpu").toString()).isEqualTo("123456n");
        assertThat(m.getContainers().get(1).getUsage().get("memory").toString()).isEqualTo("1000");
        assertThat(m.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(m.getMetadata().getOwnerReferences().getFirst().getUid()).isEqualTo("uid-a");
        assertThat(m.getTimestamp()).isEqualTo("2025-01-01T00:00:10Z");
    }
}
