package dev.konductor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void addsUserAndSystemTicksEvenWhenTheCommandHasSpaces() {
        String stat = "4242 (java main) S 1 4242 4242 0 -1 4194560 9000 0 3 0 250 75 0 0 20 0 40 0 100 0";

        assertThat(ProcessCpu.parse(stat)).isEqualTo(3250.0);
    }

    @Test
    void readsFieldsByTheirNumberInProc5() {
        String stat = "4242 (java main) S 1 4242 4242 0 -1 4194560 9000 0 3 0 250 75 12 8 20 0 40 0 100 0";

        assertThat(ProcessCpu.ticks(stat, 16, 17)).as("cutime + cstime").isEqualTo(20);
        assertThat(ProcessCpu.ticks(stat, 22)).as("starttime").isEqualTo(100);
    }

    @Test
    void tellsTheJitCompilerThreadsApart() {
        assertThat(ProcessCpu.isCompilerThread("77 (C2 CompilerThre) S 1 2 3")).isTrue();
        assertThat(ProcessCpu.isCompilerThread("78 (C1 CompilerThre) S 1 2 3")).isTrue();
        assertThat(ProcessCpu.isCompilerThread("79 (sqlite-writer) S 1 2 3")).isFalse();
    }

    @Test
    void readsThisProcess() throws Exception {
        assertThat(ProcessCpu.millis(ProcessHandle.current().pid())).isGreaterThanOrEqualTo(0);
    }
}
