package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official Python client (Debian's python3-kubernetes) against a real server. The timeout only
 * catches a hang: a server start ({@link KonductorCluster#STARTUP}) and the script's run, each
 * bounded on its own, take more than 3 minutes together on a loaded machine.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class PythonClientTest {

    @Test
    void twentyConcurrentWritersLoseNoIncrementAndWatchesReplay() throws Exception {
        try (KonductorCluster cluster = KonductorCluster.start()) {
            Path script = cluster.dir.resolve("client_semantics.py");
            try (var in = getClass().getResourceAsStream("/python/client_semantics.py")) {
                Files.copy(in, script);
            }
            KonductorCluster.Result result = cluster.run("/usr/bin/python3", null, script.toString(), "py");
            assertThat(result.exitCode()).as(result.all()).isZero();
            assertThat(result.out()).contains("counter 200 ").contains("event ADDED watched")
                    .contains("invalid 422");
        }
    }
}
