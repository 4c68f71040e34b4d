package dev.konductor.kubelet.downward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ContainerResourcesTest {

    private static final ResourceRequirements RESOURCES = new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("1500m")).addToRequests("memory", new Quantity("100M"))
            .addToLimits("cpu", new Quantity("2")).addToLimits("memory", new Quantity("1Gi"))
            .build();
    private static final Map<String, Quantity> NODE = Map.of("cpu", new Quantity("8"), "memory", new Quantity("16Gi"),
            "ephemeral-storage", new Quantity("100Gi"));

    @ParameterizedTest(name = "{0} / {1} = {2}")
    @CsvSource({
            "requests.cpu, 0, 2",               // 1.5 cores rounded up
            "requests.cpu, 1m, 1500",
            "requests.cpu, 100m, 15",
            "limits.cpu, 1, 2",
            "requests.memory, 1, 100000000",
            "requests.memory, 1Mi, 96",         // 95.37 rounded up
            "limits.memory, 1Mi, 1024",
            "limits.memory, 1Gi, 1",
            "requests.ephemeral-storage, 1, 0", // unset request
            "limits.ephemeral-storage, 1Gi, 100", // unset limit: the node's allocatable
    })
    void dividesAndRoundsUp(String resource, String divisor, String expected) {
        ResourceFieldSelector selector = new ResourceFieldSelector(null, new Quantity(divisor), resource);

        assertThat(ContainerResources.value(selector, RESOURCES, NODE)).isEqualTo(expected);
    }

    @Test
    void aNamedContainerIsLookedUpInThePod() {
        var pod = new PodBuilder().withNewSpec().addNewContainer().withName("main").withResources(RESOURCES).endContainer()
                .endSpec().build();

        assertThat(ContainerResources.value(new ResourceFieldSelector("main", null, "limits.memory"), pod, null, NODE))
                .isEqualTo("1073741824");
        assertThatThrownBy(() -> ContainerResources.value(new ResourceFieldSelector("other", null, "limits.cpu"), pod,
                new ContainerBuilder().build(), NODE)).hasMessage("container other not found");
    }

    @Test
    void unknownResourcesAreRefused() {
        assertThatThrownBy(() -> ContainerResources.value(new ResourceFieldSelector(null, null, "limits.gpu"), RESOURCES, NODE))
                .hasMessage("unsupported container resource : limits.gpu");
    }
}
