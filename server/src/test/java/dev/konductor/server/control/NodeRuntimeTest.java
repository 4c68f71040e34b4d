package dev.konductor.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeRuntimeTest {

    @Test
    void withoutWhatRealContainersNeedAutoRunsPodsAsHostProcessesAndSaysWhy() {
        NodeRuntime.Choice choice = NodeRuntime.fallback("real containers need root", Optional.empty());

        assertThat(choice.runtime()).isEqualTo(NodeRuntime.PROCESS);
        assertThat(choice.reason()).isEqualTo("real containers need root; running pods as plain host processes instead"
                + " (the process runtime: no images, no isolation, the node's network)");
    }

    @Test
    void whereNotEvenHostProcessesCanRunAutoSimulatesTheNodeAndSaysWhy() {
        NodeRuntime.Choice choice = NodeRuntime.fallback("real containers need root",
                Optional.of("needs util-linux's setsid (apt-get install util-linux)"));

        assertThat(choice.runtime()).isEqualTo(NodeRuntime.SIM);
        assertThat(choice.reason()).isEqualTo("real containers need root, and the process runtime needs util-linux's setsid"
                + " (apt-get install util-linux); running a simulated node instead (pods run without containers)");
    }
}
