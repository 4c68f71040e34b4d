package dev.konductor.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.server.control.ControlPlane;
import dev.konductor.server.control.LocalClients;
import dev.konductor.server.control.NodeRuntime;
import dev.konductor.server.control.ServerOptions;
import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.kubeconfig.Kubeconfig;
import dev.konductor.server.net.Cidr;
import dev.konductor.server.net.HostAddresses;
import dev.konductor.server.pki.NodeToken;
import dev.konductor.server.pki.Pem;
import dev.konductor.store.Stores;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's join against a real control plane: the node token gets the node certificates of its
 * own, and the kubeconfigs it writes are {@code system:node:<name>}, which the Node authorizer and
 * NodeRestriction confine, and {@code system:kube-proxy}; the server's own components are not the
 * admin either.
 */
class JoinTest {

    @TempDir
    Path server;
    @TempDir
    Path agent;

    @Test
    void theNodeTokenGetsTheNodeACertificateThatIsConfinedToItsNode() throws Exception {
        ServerOptions options = new ServerOptions(DataDir.create(server), Optional.of(InetAddress.getLoopbackAddress()),
                0, "sqlite", NodeRuntime.NONE, Cidr.parse("10.96.0.0/12"), Optional.empty(), Optional.empty());
        try (ControlPlane controlPlane = new ControlPlane(options, HostAddresses.discover(), Stores::open,
                Clock.systemUTC())) {
            controlPlane.start();
            NodeToken token = NodeToken.parse(Files.readString(options.dataDir().nodeToken()).strip());
            URI url = URI.create("https://127.0.0.1:" + controlPlane.port());

            Join.Joined joined = new Join(url, token, DataDir.create(agent), "worker-1").run().orElseThrow();

            X509Certificate certificate = Pem.decodeCertificates(
                    Kubeconfig.read(joined.kubeconfig()).clientCertificate()).getFirst();
            assertThat(certificate.getSubjectX500Principal())
                    .isEqualTo(new X500Principal("CN=system:node:worker-1, O=system:nodes"));
            try (KubernetesClient node = LocalClients.fromKubeconfig(joined.kubeconfig())) {
                node.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata().build())
                        .create();
                assertThatThrownBy(() -> node.nodes().resource(new NodeBuilder().withNewMetadata()
                        .withName("worker-2").endMetadata().build()).create())
                        .isInstanceOf(KubernetesClientException.class)
                        .hasMessageContaining("node \"worker-1\" is not allowed to modify node \"worker-2\"");
                assertThatThrownBy(() -> node.secrets().inNamespace("kube-system").withName("anything").get())
                        .isInstanceOf(KubernetesClientException.class)
                        .hasMessageContaining("User \"system:node:worker-1\" cannot get resource \"secrets\"");
            }
            try (KubernetesClient proxy = LocalClients.fromKubeconfig(joined.proxyKubeconfig())) {
                assertThat(proxy.discovery().v1().endpointSlices().inAnyNamespace().list().getItems()).isNotNull();
                assertThatThrownBy(() -> proxy.pods().inAnyNamespace().list())
                        .isInstanceOf(KubernetesClientException.class)
                        .hasMessageContaining("User \"system:kube-proxy\" cannot list resource \"pods\"");
            }
            try (KubernetesClient scheduler = LocalClients.fromKubeconfig(
                    options.dataDir().componentKubeconfig("scheduler"))) {
                assertThat(scheduler.nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                        .contains("worker-1");
                assertThatThrownBy(() -> scheduler.secrets().inAnyNamespace().list())
                        .isInstanceOf(KubernetesClientException.class)
                        .hasMessageContaining("User \"system:kube-scheduler\" cannot list resource \"secrets\"");
            }
        }
    }
}
