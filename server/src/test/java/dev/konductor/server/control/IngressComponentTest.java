package dev.konductor.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.proxy.ingress.IngressSettings;
import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.net.Cidr;
import dev.konductor.server.net.HostAddresses;
import dev.konductor.store.Stores;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingress component beside a real control plane, reaching it through the admin kubeconfig;
 * and the node IPAM controller, which the control plane's controller manager runs.
 */
class IngressComponentTest {

    @TempDir
    Path dir;

    @Test
    void servesBesideTheControlPlaneAndNodesGetPodCidrs() throws Exception {
        ServerOptions options = new ServerOptions(DataDir.create(dir), Optional.of(InetAddress.getLoopbackAddress()),
                0, "sqlite", NodeRuntime.NONE, Cidr.parse("10.96.0.0/12"), Optional.empty(), Optional.empty());
        try (ControlPlane controlPlane = new ControlPlane(options, HostAddresses.discover(), Stores::open, Clock.systemUTC())) {
            assertThat(controlPlane.start()).isTrue();
            Path kubeconfig = options.dataDir().kubeconfig();
            IngressComponent ingress = new IngressComponent(kubeconfig, IngressSettings.defaults("127.0.0.1")
                    .withListeners(InetAddress.getLoopbackAddress(), 0, -1));
            try (KubernetesClient client = LocalClients.fromKubeconfig(kubeconfig)) {
                ingress.start(cause -> { });
                assertThat(ingress.ready()).isTrue();
                IngressClass created = client.network().v1().ingressClasses().withName("konductor").get();
                assertThat(created.getSpec().getController()).isEqualTo("konductor.dev/ingress");
                assertThat(firstLine(ingress.httpPort(), "nothing.example.test")).isEqualTo("HTTP/1.1 404 Not Found");

                client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata().build())
                        .create();
                long deadline = System.nanoTime() + 90_000_000_000L; // the controller manager may start slowly on a loaded machine
                String podCidr = null;
                while (podCidr == null && System.nanoTime() < deadline) {
                    var spec = client.nodes().withName("worker-1").get().getSpec();
                    podCidr = spec == null ? null : spec.getPodCIDR();
                    Thread.sleep(50);
                }
                assertThat(podCidr).as("the node's pod CIDR from 10.244.0.0/16").isEqualTo("10.244.0.0/24");
            } finally {
                ingress.stop();
            }
        }
    }

    private static String firstLine(int port, String host) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return response.substring(0, response.indexOf("\r\n"));
        }
    }
}
