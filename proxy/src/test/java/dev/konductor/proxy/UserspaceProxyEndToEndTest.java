package dev.konductor.proxy;

import static dev.konductor.proxy.testobjects.Objects.endpoint;
import static dev.konductor.proxy.testobjects.Objects.endpointPort;
import static dev.konductor.proxy.testobjects.Objects.ready;
import static dev.konductor.proxy.testobjects.Objects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.proxy.model.Cidr;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The userspace proxy fed by a LocalApiServer, on loopback only: needs no root. Endpoints are
 * servers on 127.0.0.2-4 (one port, as pods of a Deployment share one), the NodePort listens on
 * 127.0.0.1.
 */
class UserspaceProxyEndToEndTest {

    @Test
    void aNodePortForwardsToReadyEndpointsAndFollowsChanges() throws Exception {
        List<ServerSocket> servers = new ArrayList<>();
        try (LocalApiServer api = LocalApiServer.start()) {
            int port = namedServers(servers, "127.0.0.2", "127.0.0.3", "127.0.0.4");
            KubernetesClient client = api.client();
            Service web = client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata()
                    .withName("web").endMetadata().withNewSpec().withType("NodePort").addNewPort().withName("http")
                    .withPort(80).withTargetPort(new IntOrString(port)).endPort().endSpec().build()).create();
            int nodePort = web.getSpec().getPorts().getFirst().getNodePort();
            putSlice(client, port, List.of(ready("127.0.0.2", "n1"), ready("127.0.0.3", "n1"), ready("127.0.0.4", "n1")));

            ProxySettings settings = ProxySettings.defaults("n1", Cidr.parse("10.96.0.0/12")).withMode(ProxyMode.USERSPACE)
                    .withNodePortAddresses(List.of(InetAddress.getLoopbackAddress()));
            try (ServiceProxy proxy = new ServiceProxy(client, settings)) {
                proxy.start();
                Await.until("the NodePort answering", () -> answers(nodePort) != null);

                Map<String, Integer> hits = new HashMap<>();
                for (int i = 0; i < 30; i++) {
                    hits.merge(answers(nodePort), 1, Integer::sum);
                }
                assertThat(hits).containsOnlyKeys("127.0.0.2", "127.0.0.3", "127.0.0.4");

                putSlice(client, port, List.of(ready("127.0.0.2", "n1"), ready("127.0.0.3", "n1"),
                        endpoint("127.0.0.4", "n1", false, false, false)));
                Await.until("the not-ready endpoint out of rotation", () -> {
                    for (int i = 0; i < 6; i++) {
                        if ("127.0.0.4".equals(answers(nodePort))) {
                            return false;
                        }
                    }
                    return true;
                });
            }
        } finally {
            for (ServerSocket server : servers) {
                server.close();
            }
        }
    }

    private static void putSlice(KubernetesClient client, int port, List<Endpoint> endpoints) {
        client.discovery().v1().endpointSlices().inNamespace("default")
                .resource(slice("default", "web-1", "web", endpoints, endpointPort("http", port, "TCP")))
                .createOr(existing -> existing.update());
    }

    /** Servers on one port at each address, answering with their address; returns the port. */
    private static int namedServers(List<ServerSocket> servers, String... addresses) throws IOException {
        int port = 0;
        for (String address : addresses) {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.ofLiteral(address), port));
            port = server.getLocalPort();
            servers.add(server);
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                        out.write(address.getBytes(StandardCharsets.UTF_8));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }
        return port;
    }

    private static String answers(int nodePort) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), nodePort), 1000);
            socket.setSoTimeout(3000);
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return answer.isEmpty() ? null : answer;
        } catch (IOException e) {
            return null;
        }
    }
}
