package dev.konductor.server.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.server.cli.KonductorCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code konductor down} against real processes: it stops the recorded one and never another. */
class PidFileTest {

    @TempDir
    Path dir;

    private Process sleeper;
    private final StringWriter out = new StringWriter();

    @AfterEach
    void killSleeper() {
        if (sleeper != null) {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void downStopsTheRecordedProcessAndRemovesThePidFile() throws Exception {
        sleeper = new ProcessBuilder("sleep", "60").start();
        PidFile pidFile = new PidFile(dir.resolve("server.pid"));
        pidFile.write(sleeper.pid());

        assertThat(down()).isZero();

        assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(out.toString()).contains("stopping konductor (pid " + sleeper.pid() + ")").contains("stopped");
        assertThat(pidFile.path()).doesNotExist();
    }

    @Test
    void downRemovesAStalePidFile() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        new PidFile(dir.resolve("server.pid")).write(exited.pid());

        assertThat(down()).isZero();

        assertThat(out.toString()).contains("not running (removed stale");
        assertThat(dir.resolve("server.pid")).doesNotExist();
    }

    @Test
    void processStartedAfterThePidFileWasWrittenIsSomeoneElses() throws Exception {
        sleeper = new ProcessBuilder("sleep", "60").start();
        PidFile pidFile = new PidFile(dir.resolve("server.pid"));
        pidFile.write(sleeper.pid());
        // As after a reboot: the recorded PID now belongs to a process younger than the file.
        Files.setLastModifiedTime(pidFile.path(), FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));

        assertThat(pidFile.runningProcess()).isEmpty();
        assertThat(down()).isZero();

        assertThat(sleeper.isAlive()).isTrue();
        assertThat(out.toString()).contains("not running");
    }

    @Test
    void downWithoutPidFileSaysNotRunning() {
        assertThat(down()).isZero();
        assertThat(out.toString()).contains("konductor is not running (no " + dir.resolve("server.pid") + ")");
    }

    @Test
    void unreadablePidFileCountsAsNoProcess() throws Exception {
        Files.writeString(dir.resolve("server.pid"), "not a pid\n");

        assertThat(new PidFile(dir.resolve("server.pid")).runningProcess()).isEmpty();
    }

    private int down() {
        return KonductorCommand.commandLine().setOut(new PrintWriter(out, true))
                .execute("down", "--data-dir", dir.toString(), "--timeout", "5");
    }
}
