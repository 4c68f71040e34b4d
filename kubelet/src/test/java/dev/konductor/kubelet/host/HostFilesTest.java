package dev.konductor.kubelet.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFilesTest {

    private static final String MEMINFO = """
            MemTotal:       24731400 kB
            MemFree:        17152484 kB
            MemAvailable:   19326436 kB
            Buffers:           60172 kB
            Inactive(file):  1454436 kB
            HugePages_Total:       0
            """;

    @Test
    void workingSetIsWhatIsInUseLessTheInactivePageCache() {
        MemInfo m = MemInfo.parse(MEMINFO);
        assertThat(m.totalBytes()).isEqualTo(24731400L * 1024);
        long workingSet = (24731400L - 17152484L - 1454436L) * 1024;
        assertThat(m.workingSetBytes()).isEqualTo(workingSet);
        assertThat(m.availableBytes()).isEqualTo(24731400L * 1024 - workingSet);
    }

    @Test
    void busyCpuLeavesOutIdleAndIowaitAndCountsStealInNanoseconds() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        String stat = "cpu  100 5 20 9000 300 1 2 3 50 0\ncpu0 50 0 10 4500 150 0 1 1 25 0\n";
        assertThat(CpuTimes.busyNanos(stat)).isEqualTo((100 + 5 + 20 + 1 + 2 + 3) * 10_000_000L);
    }

    @Test
    void pidsAvailableAreTheSmallerLimitLessEveryTask() {
        Pids pids = Pids.parse("32768\n", "193107\n", "12.25 5.91 2.98 14/317 27064\n");
        assertThat(pids.max()).isEqualTo(32768);
        assertThat(pids.inUse()).isEqualTo(317);
        assertThat(pids.available()).isEqualTo(32768 - 317);
    }

    @Test
    void readsAProcfsShapedDirectoryAndGivesNothingForWhatIsMissing(@TempDir Path proc) throws Exception {
        Files.writeString(proc.resolve("meminfo"), MEMINFO);
        Files.writeString(proc.resolve("stat"), "cpu  1 0 1 10 0 0 0 0 0 0\n");
        HostFiles host = new HostFiles(proc);
        assertThat(host.memInfo()).isPresent();
        assertThat(host.cpuBusyNanos()).hasValue(20_000_000L);
        assertThat(host.pids()).isEmpty();
    }
}
