package dev.konductor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class NodeBenchTest {

    @Test
    void theMeasuredPodsJsonIsTheMeasuredPod() {
        assertThat(Serialization.unmarshal(NodeBench.podJson("r1-startup-0"), Pod.class))
                .isEqualTo(NodeBench.pod("r1-startup-0", true));
    }
}
