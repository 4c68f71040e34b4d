package dev.konductor.kubelet.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcStatTest {

    private static String line(long pid, String comm, long ppid, long pgrp, long startTime) {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        // priority nice threads itreal starttime vsize rss ...
        return pid + " (" + comm + ") S " + ppid + " " + pgrp + " " + pgrp + " 0 -1 4194560 100 0 0 0 7 3 20 10 20 0 1 0 "
                + startTime + " 1000000 250 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        ProcStat stat = ProcStat.parse(line(4242, "my (odd) prog", 1, 4242, 987654)).orElseThrow();

        assertThat(stat.pid()).isEqualTo(4242);
        assertThat(stat.comm()).isEqualTo("my (odd) prog");
        assertThat(stat.ppid()).isEqualTo(1);
        assertThat(stat.pgrp()).isEqualTo(4242);
        assertThat(stat.cpuTicks()).as("utime + stime + cutime + cstime").isEqualTo(7 + 3 + 20 + 10);
        assertThat(stat.startTime()).isEqualTo(987654);
        assertThat(stat.rssPages()).isEqualTo(250);
    }

    @Test
    void whatIsNotAStatLineIsNothing() {
        assertThat(ProcStat.parse("")).isEmpty();
        assertThat(ProcStat.parse("12 (sh) S 1")).isEmpty();
    }

    @Test
    void aContainersProcessesAreItsGroupAndEveryDescendantOfItsMainProcess() {
        List<ProcStat> all = List.of(
                ProcStat.parse(line(300, "grandchild", 200, 300, 5)).orElseThrow(), // left the group with setsid
                ProcStat.parse(line(100, "main", 1, 100, 1)).orElseThrow(),
                ProcStat.parse(line(200, "child", 100, 100, 2)).orElseThrow(),
                ProcStat.parse(line(400, "orphan", 1, 100, 3)).orElseThrow(), // its parent died: init adopted it
                ProcStat.parse(line(500, "stranger", 1, 500, 4)).orElseThrow());

        assertThat(ProcessTable.members(all, 100)).extracting(ProcStat::pid).containsExactlyInAnyOrder(100L, 200L, 300L, 400L);
    }

    @Test
    void usageSumsTheTreeInNanosecondsAndBytes() {
        List<ProcStat> members = List.of(ProcStat.parse(line(100, "main", 1, 100, 1)).orElseThrow(),
                ProcStat.parse(line(200, "child", 100, 100, 2)).orElseThrow());

        TreeUsage usage = TreeUsage.of(members, 100, 4096);

        assertThat(usage.cpuNanos()).isEqualTo(2 * 40 * 10_000_000L);
        assertThat(usage.workingSetBytes()).isEqualTo(2 * 250 * 4096L);
    }
}
