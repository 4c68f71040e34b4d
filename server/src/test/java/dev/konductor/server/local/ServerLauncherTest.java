package dev.konductor.server.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerLauncherTest {

    @Test
    void runsTheSameJavaAndClasspathWithTheServerSubcommand() {
        List<String> command = new ServerLauncher("dev.konductor.server.Main")
                .command(List.of("--data-dir", "/tmp/k", "--port", "7443"));

        String java = ProcessHandle.current().info().command().orElseThrow();
        assertThat(command).contains(java);
        assertThat(command.subList(command.indexOf("-cp"), command.size())).containsExactly(
                "-cp", System.getProperty("java.class.path"), "dev.konductor.server.Main",
                "server", "--data-dir", "/tmp/k", "--port", "7443");
    }

    @Test
    void serverMapsTheServerClassDataArchiveNotTheCallers() {
        assertThat(ServerLauncher.forServer("-XX:SharedArchiveFile=/opt/konductor/cds/up.jsa"))
                .isEqualTo("-XX:SharedArchiveFile=/opt/konductor/cds/server.jsa");
        assertThat(ServerLauncher.forServer("-Xss512k")).isEqualTo("-Xss512k");
    }
}
