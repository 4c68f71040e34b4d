package dev.konductor.kubelet.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.process.sessions.TerminalSize;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostLauncherTest {

    @Test
    void aTerminalSessionSizesItsTerminalThenBecomesTheProgramWithEveryArgumentIntact() {
        String line = HostLauncher.terminalCommand(List.of("/state/busybox/sh", "-c", "echo 'it''s' $HOME; exit 3"),
                new TerminalSize(120, 40));

        assertThat(line).isEqualTo("stty cols 120 rows 40 2>/dev/null; exec '/state/busybox/sh' '-c' "
                + "'echo '\\''it'\\'''\\''s'\\'' $HOME; exit 3'");
    }
}
