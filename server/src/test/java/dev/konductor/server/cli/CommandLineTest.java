package dev.konductor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.server.control.NodeRuntime;
import dev.konductor.server.control.ServerOptions;
import dev.konductor.server.net.Cidr;
import dev.konductor.server.node.IngressPorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class CommandLineTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void serverDefaultsMatchUpstreamAndK3s() {
        ServerOptions options = parse(ServerCommand.class, "server").options();

        assertThat(options.dataDir().root()).isEqualTo(Path.of(System.getProperty("user.home"), ".konductor"));
        assertThat(options.port()).isEqualTo(6443);
        assertThat(options.bindAddress()).isEmpty(); // 0.0.0.0: every address, IPv4 and IPv6
        assertThat(options.datastore()).isEqualTo("sqlite");
        assertThat(options.runtime()).isIn(NodeRuntime.CRI, NodeRuntime.PROCESS, NodeRuntime.SIM); // auto: what this machine can run
        assertThat(options.serviceCidr()).isEqualTo(Cidr.parse("10.96.0.0/12"));
        assertThat(options.advertiseAddress()).isEmpty();
        assertThat(options.eventTtl()).isEqualTo(java.time.Duration.ofHours(1));
    }

    @Test
    void eventsCanBeKeptForAnotherTimeAsWithUpstreamsFlag() {
        assertThat(parse(ServerCommand.class, "server", "--event-ttl", "2h30m").options().eventTtl())
                .isEqualTo(java.time.Duration.ofMinutes(150));
        assertThat(parse(ServerCommand.class, "server", "--event-ttl", "1h0m0s").options().eventTtl())
                .isEqualTo(java.time.Duration.ofHours(1));
    }

    @Test
    void serverTakesEveryOption() {
        ServerOptions options = parse(ServerCommand.class, "server", "--data-dir", dir.toString(), "--port", "7443",
                "--bind-address", "127.0.0.1", "--datastore", "etcd://10.0.0.1:2379,etcd-2:2379",
                "--runtime", "CRI", "--service-cidr", "10.43.0.0/16", "--advertise-address", "192.168.1.10").options();

        assertThat(options).isEqualTo(new ServerOptions(new dev.konductor.server.datadir.DataDir(dir),
                Optional.of(InetAddress.ofLiteral("127.0.0.1")), 7443, "etcd://10.0.0.1:2379,etcd-2:2379",
                NodeRuntime.CRI, Cidr.parse("10.43.0.0/16"), Optional.of(InetAddress.ofLiteral("192.168.1.10")),
                Optional.empty()));
    }

    @Test
    void theIngressControllerCanLeavePorts80And443ToSomethingElse() {
        ServerOptions server = parse(ServerCommand.class, "server", "--data-dir", dir.toString(),
                "--ingress-http-port", "31481", "--ingress-https-port", "-1").options();
        dev.konductor.server.agent.AgentOptions agent = parse(AgentCommand.class, "agent", "--server",
                "https://192.0.2.10:6443", "--token", "K10" + "ab".repeat(32) + "::abcdef.0123456789abcdef",
                "--ingress-http-port", "8081").options();

        assertThat(server.ingressPorts()).isEqualTo(new IngressPorts(31481, -1));
        assertThat(agent.ingressPorts().http()).isEqualTo(8081);
        assertThat(agent.ingressPorts().https()).isEqualTo(IngressPorts.defaults().https());
        assertThat(parse(ServerCommand.class, "server").options().ingressPorts()).isEqualTo(IngressPorts.defaults());
    }

    @Test
    void agentTakesTheServerTheTokenFileAndItsNode() throws Exception {
        java.nio.file.Path tokenFile = dir.resolve("node-token");
        String token = "K10" + "ab".repeat(32) + "::abcdef.0123456789abcdef";
        java.nio.file.Files.writeString(tokenFile, token + "\n");

        dev.konductor.server.agent.AgentOptions options = parse(AgentCommand.class, "agent", "--server",
                "https://192.0.2.10:6443", "--token-file", tokenFile.toString(), "--data-dir", dir.toString(),
                "--node-name", "worker-1", "--node-ip", "192.0.2.11", "--runtime", "sim", "--kubelet-port", "10251").options();

        assertThat(options.server()).hasToString("https://192.0.2.10:6443");
        assertThat(options.token().format()).isEqualTo(token);
        assertThat(options.nodeName()).isEqualTo("worker-1");
        assertThat(options.nodeIp()).contains(InetAddress.ofLiteral("192.0.2.11"));
        assertThat(options.runtime()).isEqualTo(NodeRuntime.SIM);
        assertThat(options.kubeletPort()).isEqualTo(10251);
    }

    @Test
    void agentRefusesABareSecretAndAPlainHttpServer() {
        assertThat(execute("agent", "--server", "https://192.0.2.10:6443", "--token", "abcdef.0123456789abcdef")).isEqualTo(2);
        assertThat(execute("agent", "--server", "http://192.0.2.10:6443", "--token",
                "K10" + "ab".repeat(32) + "::abcdef.0123456789abcdef")).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--datastore|mysql://db:3306|'mysql://db:3306' is not a datastore",
            "--service-cidr|10.96.0.0|CIDR must look like 10.96.0.0/12",
            "--bind-address|example.com|'example.com' is not an IP address",
            "--advertise-address|10.0.0.300|'10.0.0.300' is not an IP address",
            "--runtime|docker|expected one of [auto, cri, process, sim, none]",
            "--port|https|'https' is not an int",
            "--ingress-http-port|70000|ingress HTTP port must be between 0 and 65535: 70000",
            "--ingress-https-port|-2|ingress HTTPS port must be between -1 (none) and 65535: -2",
            "--event-ttl|0s|event TTL must be positive: PT0S",
    })
    void serverRejectsBadValuesWithAUsageError(String option, String value, String message) {
        int exitCode = execute("server", option, value);

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).containsIgnoringCase(message);
    }

    @Test
    void upTakesPortRuntimeDatastoreAndTimeout() {
        UpCommand up = parse(UpCommand.class, "up", "--data-dir", dir.toString(), "--port", "7443",
                "--runtime", "sim", "--datastore", "etcd://127.0.0.1:2379", "--timeout", "5");

        assertThat(up.dataDir.path).isEqualTo(dir);
        assertThat(up.port).isEqualTo(7443);
        assertThat(up.runtime).isEqualTo(NodeRuntime.SIM);
        assertThat(up.datastore).isEqualTo("etcd://127.0.0.1:2379");
        assertThat(up.timeoutSeconds).isEqualTo(5);
    }

    @Test
    void upRefusesAPortItCannotWaitOn() {
        assertThat(execute("up", "--data-dir", dir.toString(), "--port", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("up needs a fixed --port");
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertThat(execute()).isEqualTo(2);
        assertThat(err.toString()).contains("a subcommand is required").contains("Usage: konductor");
    }

    @Test
    void versionPrintsTheBuild() {
        assertThat(execute("version")).isZero();
        assertThat(out.toString()).startsWith("konductor: ").contains("java:");
    }

    @Test
    void kubeconfigPrintsThePathAndFailsWhileItIsMissing() throws Exception {
        assertThat(execute("kubeconfig", "--data-dir", dir.toString())).isEqualTo(1);
        assertThat(out.toString().strip()).isEqualTo(dir.resolve("kubeconfig.yaml").toString());

        Files.writeString(dir.resolve("kubeconfig.yaml"), "apiVersion: v1\n");
        out.getBuffer().setLength(0);
        assertThat(execute("kubeconfig", "--data-dir", dir.toString())).isZero();
        assertThat(out.toString().strip()).isEqualTo(dir.resolve("kubeconfig.yaml").toString());
    }

    @Test
    void statusOfAnEmptyDataDirectoryIsNotRunning() {
        assertThat(execute("status", "--data-dir", dir.toString())).isEqualTo(StatusCommand.NOT_RUNNING);
        assertThat(out.toString()).contains("not running").contains("kubeconfig: " + dir.resolve("kubeconfig.yaml"));
    }

    @Test
    void simDefaultsAndOptions() {
        var defaults = parse(SimCommand.class, "sim", "--kubeconfig", "k.yaml").settings();
        assertThat(defaults.nodes()).isEqualTo(1);
        assertThat(defaults.namePrefix()).isEqualTo("sim");
        assertThat(defaults.cpu()).isEqualTo("32");
        assertThat(defaults.memory()).isEqualTo("256Gi");
        assertThat(defaults.pods()).isEqualTo(110);
        assertThat(defaults.metricsInterval()).isEqualTo(java.time.Duration.ofSeconds(15));
        assertThat(defaults.leaseRenewInterval()).isEqualTo(java.time.Duration.ofSeconds(10));

        var settings = parse(SimCommand.class, "sim", "--nodes", "1000", "--kubeconfig", "k.yaml", "--cpu", "8",
                "--memory", "16Gi", "--pods", "50", "--name-prefix", "kwok", "--pod-start-delay", "500ms",
                "--metrics-interval", "0").settings();
        assertThat(settings.nodes()).isEqualTo(1000);
        assertThat(settings.nodeName(999)).isEqualTo("kwok-999");
        assertThat(settings.podStartDelay()).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(settings.metricsInterval()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--nodes|0|nodes must be at least 1: 0",
            "--pod-start-delay|soon|'soon' is not a duration",
    })
    void simRejectsBadValues(String option, String value, String message) {
        int exitCode = execute("sim", "--kubeconfig", dir.resolve("missing.yaml").toString(), option, value);

        assertThat(exitCode).isNotZero();
        assertThat(err.toString()).contains(message);
    }

    @Test
    void simNeedsAKubeconfig() {
        assertThat(execute("sim", "--nodes", "3")).isEqualTo(2);
        assertThat(err.toString()).contains("--kubeconfig");
    }

    private <T> T parse(Class<T> type, String... args) {
        CommandLine.ParseResult result = commandLine().parseArgs(args);
        return type.cast(result.subcommand().commandSpec().userObject());
    }

    private int execute(String... args) {
        return commandLine().execute(args);
    }

    private CommandLine commandLine() {
        return KonductorCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    }
}
