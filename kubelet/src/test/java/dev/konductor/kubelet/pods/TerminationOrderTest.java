package dev.konductor.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who waits for whom when a pod with sidecars goes: apps first, then sidecars last-declared first. */
class TerminationOrderTest {

    private static final Pod POD = new PodBuilder().withNewMetadata().withName("p").withUid("u").endMetadata()
            .withNewSpec()
            .addToInitContainers(new ContainerBuilder().withName("setup").build(),
                    new ContainerBuilder().withName("logs").withRestartPolicy("Always").build(),
                    new ContainerBuilder().withName("proxy").withRestartPolicy("Always").build())
            .addToContainers(new ContainerBuilder().withName("app").build(), new ContainerBuilder().withName("worker").build())
            .endSpec().build();

    @Test
    void appsGoAtOnceThenSidecarsInReverseOrder() {
        Map<String, List<String>> order = TerminationOrder.prerequisites(POD, Set.of("logs", "proxy", "app", "worker"));

        assertThat(order).containsEntry("app", List.of()).containsEntry("worker", List.of())
                .containsEntry("proxy", List.of("app", "worker"))
                .containsEntry("logs", List.of("app", "worker", "proxy"))
                .doesNotContainKey("setup");
    }

    @Test
    void whatNoLongerRunsIsWaitedForByNoOne() {
        Map<String, List<String>> order = TerminationOrder.prerequisites(POD, Set.of("logs", "app"));

        assertThat(order).containsOnlyKeys("logs", "app").containsEntry("logs", List.of("app"));
    }
}
