package dev.konductor.server.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.server.kubeconfig.Kubeconfig;
import dev.konductor.server.net.Cidr;
import dev.konductor.server.net.HostAddresses;
import dev.konductor.server.pki.ClusterCredentials;
import dev.konductor.server.pki.ClusterPki;
import dev.konductor.server.pki.ServingNames;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole certificate setup end to end: a TLS handshake in both directions, as kubectl does it. */
class ReadinessProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void readyServerAnswersTheAdminOverMutualTlsOnLoopback() throws Exception {
        ClusterCredentials credentials = credentials(dir.resolve("a"));
        try (FakeReadyzServer server = FakeReadyzServer.start(credentials, 200);
             ReadinessProbe probe = new ReadinessProbe(kubeconfig(server, credentials), TIMEOUT)) {

            assertThat(probe.check()).isEqualTo(new ReadinessProbe.Result.Ready());
        }
    }

    @Test
    void unreadyServerIsReportedWithItsAnswer() throws Exception {
        ClusterCredentials credentials = credentials(dir.resolve("a"));
        try (FakeReadyzServer server = FakeReadyzServer.start(credentials, 503);
             ReadinessProbe probe = new ReadinessProbe(kubeconfig(server, credentials), TIMEOUT)) {

            assertThat(probe.check()).isEqualTo(new ReadinessProbe.Result.NotReady(503, "[-]etcd failed"));
        }
    }

    @Test
    void serverOfAnotherClusterIsNotTrusted() throws Exception {
        ClusterCredentials ours = credentials(dir.resolve("ours"));
        ClusterCredentials theirs = credentials(dir.resolve("theirs"));
        try (FakeReadyzServer server = FakeReadyzServer.start(theirs, 200);
             ReadinessProbe probe = new ReadinessProbe(kubeconfig(server, ours), TIMEOUT)) {

            assertThat(probe.check()).isInstanceOf(ReadinessProbe.Result.Unreachable.class);
        }
    }

    @Test
    void startupWaitEndsReadyOnceTheKubeconfigAndServerAreThere() throws Exception {
        ClusterCredentials credentials = credentials(dir.resolve("a"));
        try (FakeReadyzServer server = FakeReadyzServer.start(credentials, 200)) {
            Path file = dir.resolve("kubeconfig.yaml");
            kubeconfig(server, credentials).write(file);

            // generous: on a loaded 2-core machine even a loopback connect can take seconds
            StartupWait.Outcome outcome = new StartupWait(file, server.port()).await(ProcessHandle.current(),
                    Duration.ofSeconds(60));

            assertThat(outcome).isInstanceOf(StartupWait.Outcome.Ready.class);
        }
    }

    @Test
    void startupWaitGivesUpAsSoonAsTheServerProcessExits() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();

        StartupWait.Outcome outcome = new StartupWait(dir.resolve("missing.yaml"), 6443)
                .await(exited.toHandle(), Duration.ofSeconds(30));

        assertThat(outcome).isEqualTo(new StartupWait.Outcome.Exited());
    }

    @Test
    void startupWaitTimesOutSayingWhatItLastSaw() throws Exception {
        StartupWait.Outcome outcome = new StartupWait(dir.resolve("missing.yaml"), 6443)
                .await(ProcessHandle.current(), Duration.ofMillis(120));

        assertThat(outcome).isInstanceOfSatisfying(StartupWait.Outcome.TimedOut.class,
                timedOut -> assertThat(timedOut.lastSeen()).contains("no kubeconfig"));
    }

    private static Kubeconfig kubeconfig(FakeReadyzServer server, ClusterCredentials credentials) {
        return Kubeconfig.forAdmin(URI.create("https://127.0.0.1:" + server.port()), credentials);
    }

    private static ClusterCredentials credentials(Path tls) throws Exception {
        Files.createDirectories(tls);
        HostAddresses host = new HostAddresses("node-1", Set.of(InetAddress.ofLiteral("127.0.0.1")));
        return new ClusterPki(tls, Clock.systemUTC())
                .ensure(ServingNames.forApiServer(host, Cidr.parse("10.96.0.0/12"), List.of()));
    }
}
