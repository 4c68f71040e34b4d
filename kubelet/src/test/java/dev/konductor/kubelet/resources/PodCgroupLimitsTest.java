package dev.konductor.kubelet.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodCgroupLimitsTest {

    private static Container limited(String name, String cpu, String memory) {
        return new ContainerBuilder().withName(name).withNewResources()
                .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
                .withLimits(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory))).endResources().build();
    }

    private static Pod pod(List<Container> inits, Container... apps) {
        return new PodBuilder().withNewMetadata().withName("p").withUid("u").endMetadata()
                .withNewSpec().withInitContainers(inits).withContainers(apps).endSpec().build();
    }

    @Test
    void limitsAddUpOverTheAppContainers() {
        PodCgroupLimits limits = PodCgroupLimits.of(pod(List.of(), limited("a", "250m", "32Mi"), limited("b", "750m", "32Mi")));
        assertThat(limits.cpuShares()).isEqualTo(1024);
        assertThat(limits.cpuQuotaMicros()).contains(100_000L);
        assertThat(limits.memoryLimitBytes()).contains(64L * 1024 * 1024);
    }

    @Test
    void aLargerInitContainerSetsThePodsFigure() {
        PodCgroupLimits limits = PodCgroupLimits.of(pod(List.of(limited("init", "2", "512Mi")), limited("a", "250m", "32Mi")));
        assertThat(limits.cpuQuotaMicros()).contains(200_000L);
        assertThat(limits.memoryLimitBytes()).contains(512L * 1024 * 1024);
    }

    @Test
    void oneUnlimitedContainerLeavesThePodUnlimited() {
        Container free = new ContainerBuilder().withName("free").build();
        PodCgroupLimits limits = PodCgroupLimits.of(pod(List.of(), limited("a", "500m", "32Mi"), free));
        assertThat(limits.cpuQuotaMicros()).isEqualTo(Optional.empty());
        assertThat(limits.memoryLimitBytes()).isEqualTo(Optional.empty());
        assertThat(limits.cpuShares()).isEqualTo(512);
        assertThat(PodCgroupLimits.of(pod(List.of(), free)).cpuShares()).as("best effort").isEqualTo(2);
    }
}
