package dev.konductor.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeResourcesTest {

    private static final long MI = 1024L * 1024;

    private static MachineInfo machine(long memoryBytes, Map<String, Long> hugepages, long disk) {
        return new MachineInfo(2, memoryBytes, hugepages, disk, "m", "s", "b", "6.1", "Debian", "amd64");
    }

    @Test
    void allocatableKeepsBackTheHardEvictionThresholdsAsUpstreamsDefaults() {
        MachineInfo m = machine(24731400L * 1024, Map.of("hugepages-1Gi", 0L, "hugepages-2Mi", 0L), 264212084L * 1024);
        NodeResources r = NodeResources.of(m, 110, Reserved.NONE, EvictionThresholds.DEFAULT);

        assertThat(r.capacity()).containsOnlyKeys("cpu", "ephemeral-storage", "hugepages-1Gi", "hugepages-2Mi",
                "memory", "pods");
        assertThat(r.capacity().get("cpu").toString()).isEqualTo("2");
        assertThat(r.capacity().get("memory").toString()).isEqualTo("24731400Ki");
        assertThat(r.capacity().get("ephemeral-storage").toString()).isEqualTo("264212084Ki");
        assertThat(r.capacity().get("hugepages-2Mi").toString()).isEqualTo("0");
        assertThat(r.capacity().get("pods").toString()).isEqualTo("110");

        assertThat(r.allocatable().get("cpu").toString()).isEqualTo("2");
        // memory.available<100Mi
        assertThat(r.allocatable().get("memory").toString()).isEqualTo((24731400 - 102400) + "Ki");
        // nodefs.available<10%: what is left is in bytes, as upstream prints it
        long disk = 264212084L * 1024;
        assertThat(r.allocatable().get("ephemeral-storage").toString()).isEqualTo(Long.toString(disk - (long) (disk * 0.1)));
        assertThat(r.allocatable().get("pods").toString()).isEqualTo("110");
    }

    @Test
    void reservationsAndHugePagesComeOffAllocatableToo() {
        MachineInfo m = machine(8192 * MI, Map.of("hugepages-2Mi", 512 * MI), 100L * 1024 * MI);
        NodeResources r = NodeResources.of(m, 110, new Reserved(100, 500 * MI, 1024 * MI), EvictionThresholds.DEFAULT);

        assertThat(r.capacity().get("memory").toString()).isEqualTo("8Gi");
        assertThat(r.capacity().get("hugepages-2Mi").toString()).isEqualTo("512Mi");
        assertThat(r.allocatable().get("hugepages-2Mi").toString()).isEqualTo("512Mi");
        assertThat(r.allocatable().get("cpu").toString()).isEqualTo("1900m");
        assertThat(r.allocatable().get("memory").toString()).isEqualTo((8192 - 500 - 100 - 512) + "Mi");
        // 100Gi - 1Gi reserved - 10% (10Gi) for nodefs.available
        assertThat(r.allocatable().get("ephemeral-storage").toString()).isEqualTo("89Gi");
    }

    @Test
    void nothingGoesNegativeOnATinyMachine() {
        NodeResources r = NodeResources.of(machine(64 * MI, Map.of(), 0), 110, Reserved.NONE, EvictionThresholds.DEFAULT);
        assertThat(r.allocatable().get("memory").toString()).isEqualTo("0");
        assertThat(r.allocatable().get("ephemeral-storage").toString()).isEqualTo("0");
    }

    @Test
    void hugePageSizesAreNamedAsUpstreamNamesTheResource() {
        assertThat(MachineInfo.resourceName(2048 * 1024)).isEqualTo("hugepages-2Mi");
        assertThat(MachineInfo.resourceName(1024 * MI)).isEqualTo("hugepages-1Gi");
    }
}
