package dev.konductor.server.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.konductor.server.net.Cidr;
import dev.konductor.server.net.HostAddresses;
import dev.konductor.server.pki.ClusterCredentials;
import dev.konductor.server.pki.ClusterPki;
import dev.konductor.server.pki.Pem;
import dev.konductor.server.pki.ServingNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {

    private static final URI SERVER = URI.create("https://127.0.0.1:6443");

    @TempDir
    Path dir;

    private ClusterCredentials credentials;
    private Path file;

    @BeforeEach
    void writeKubeconfig() {
        HostAddresses host = new HostAddresses("node-1", Set.of(InetAddress.ofLiteral("127.0.0.1")));
        credentials = new ClusterPki(dir, Clock.systemUTC())
                .ensure(ServingNames.forApiServer(host, Cidr.parse("10.96.0.0/12"), List.of()));
        file = dir.resolve("kubeconfig.yaml");
        Kubeconfig.forAdmin(SERVER, credentials).write(file);
    }

    @Test
    void isYamlWithOneClusterUserAndContextCarryingTheCredentials() throws Exception {
        JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());

        assertThat(yaml.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(yaml.path("kind").asText()).isEqualTo("Config");
        assertThat(yaml.path("current-context").asText()).isEqualTo("konductor");
        JsonNode cluster = yaml.path("clusters").get(0);
        assertThat(cluster.path("name").asText()).isEqualTo("konductor");
        assertThat(cluster.path("cluster").path("server").asText()).isEqualTo("https://127.0.0.1:6443");
        assertThat(decode(cluster.path("cluster").path("certificate-authority-data")))
                .isEqualTo(Files.readString(dir.resolve("ca.crt")));
        JsonNode user = yaml.path("users").get(0);
        assertThat(user.path("name").asText()).isEqualTo("admin");
        assertThat(decode(user.path("user").path("client-certificate-data")))
                .isEqualTo(Files.readString(dir.resolve("admin.crt")));
        String keyPem = decode(user.path("user").path("client-key-data"));
        assertThat(keyPem).startsWith("-----BEGIN EC PRIVATE KEY-----"); // SEC1, as kubeadm writes it
        assertThat(((java.security.interfaces.ECPrivateKey) Pem.decodePrivateKey(keyPem)).getS())
                .isEqualTo(((java.security.interfaces.ECPrivateKey) credentials.admin().key()).getS());
        JsonNode context = yaml.path("contexts").get(0);
        assertThat(context.path("name").asText()).isEqualTo("konductor");
        assertThat(context.path("context").path("cluster").asText()).isEqualTo("konductor");
        assertThat(context.path("context").path("user").asText()).isEqualTo("admin");
    }

    @Test
    void isReadableByTheOwnerOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void readsBackWhatWasWritten() {
        assertThat(Kubeconfig.read(file)).isEqualTo(Kubeconfig.forAdmin(SERVER, credentials));
    }

    @Test
    void realKubectlReadsIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl not installed");

        String server = run("/usr/bin/kubectl", "--kubeconfig", file.toString(), "config", "view", "--raw",
                "-o", "jsonpath={.clusters[0].cluster.server} {.contexts[0].context.user}");

        assertThat(server).isEqualTo("https://127.0.0.1:6443 admin");
    }

    @Test
    void pythonKubernetesClientLoadsIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 not installed");
        assumeTrue(run("/usr/bin/python3", "-c", "import kubernetes; print('yes')").equals("yes"),
                "python3-kubernetes not installed");

        String host = run("/usr/bin/python3", "-c", """
                from kubernetes import client, config
                config.load_kube_config(config_file='%s')
                print(client.Configuration.get_default_copy().host)
                """.formatted(file));

        assertThat(host).isEqualTo("https://127.0.0.1:6443");
    }

    private static String decode(JsonNode base64) {
        return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.US_ASCII);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() == 0 ? output : "exit " + process.exitValue() + ": " + output;
    }
}
