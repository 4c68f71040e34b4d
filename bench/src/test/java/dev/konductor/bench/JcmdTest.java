package dev.konductor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JcmdTest {

    @Test
    void addsTheGenerationsOfASerialHeap() {
        String heapInfo = """
                12345:
                DefNew     total 116160K, used 28963K [0x0000000686a00000, 0x000000068e800000, 0x00000007046a0000)
                 eden space 103296K,  28% used [0x0000000686a00000, 0x0000000688648d00, 0x000000068cee0000)
                Tenured    total 258048K, used 1084K [0x00000007046a0000, 0x00000007142a0000, 0x0000000800000000)
                 the  space 258048K,   0% used [0x00000007046a0000, 0x00000007047af298, 0x00000007142a0000)
                """;

        assertThat(Jcmd.usedKiB(heapInfo)).isEqualTo(28963 + 1084);
    }

    @Test
    void readsTheOneFigureOfAGarbageFirstHeap() {
        String heapInfo = """
                568:
                garbage-first heap   total reserved 16777216K, committed 11952128K, used 5442125K [0x0000000400000000, 0x0000000800000000)
                 region size 8192K, 295 young (2416640K), 8 survivors (65536K)
                """;

        assertThat(Jcmd.usedKiB(heapInfo)).isEqualTo(5442125);
    }
}
