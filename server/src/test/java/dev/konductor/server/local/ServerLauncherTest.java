package dev.konductor.server.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerLauncherTest {

    @Test
    void withoutTheLauncherRunsTheSameJavaAndClasspathWithTheServerSubcommand() {
        List<String> command = new ServerLauncher("dev.konductor.server.Main", Optional.empty())
                .command(List.of("--data-dir", "/tmp/k", "--port", "7443"));

        String java = ProcessHandle.current().info().command().orElseThrow();
        assertThat(command).contains(java);
        assertThat(command).noneMatch(option -> option.startsWith("-XX:SharedArchiveFile")
                || option.startsWith("-XX:AOTCache"));
        assertThat(command.subList(command.indexOf("-cp"), command.size())).containsExactly(
                "-cp", System.getProperty("java.class.path"), "dev.konductor.server.Main",
                "server", "--data-dir", "/tmp/k", "--port", "7443");
    }

    @Test
    void throughTheLauncherTheServerGetsTheJvmOptionsOfAServer() {
        List<String> command = new ServerLauncher("dev.konductor.server.Main", Optional.of(Path.of("/opt/konductor/konductor")))
                .command(List.of("--data-dir", "/tmp/k"));

        assertThat(command.subList(command.indexOf("/opt/konductor/konductor"), command.size()))
                .containsExactly("/opt/konductor/konductor", "server", "--data-dir", "/tmp/k");
    }
}
