package dev.konductor.server.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path dir;

    @Test
    void theReasonIsFoundAmongTheShutdownLinesOfThisRunOnly() throws Exception {
        Path log = dir.resolve("server.log");
        Files.writeString(log, "konductor: an earlier run's reason\n");
        long from = Files.size(log);
        Files.writeString(log, "INFO starting\nkonductor: port 6443 is in use\nINFO stopped\n\tat a.B(B.java:1)\n",
                java.nio.file.StandardOpenOption.APPEND);

        assertThat(LogTail.lastLineStartingWith(log, from, "konductor: ")).contains("konductor: port 6443 is in use");
        assertThat(LogTail.lastLineStartingWith(log, Files.size(log), "konductor: ")).isEmpty();
        assertThat(LogTail.lastLineStartingWith(dir.resolve("missing.log"), 0, "konductor: ")).isEmpty();
    }
}
