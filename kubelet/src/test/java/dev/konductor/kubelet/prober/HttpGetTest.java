package dev.konductor.kubelet.prober;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** httpGet probes against a loopback server: what counts as success, and the messages users see. */
class HttpGetTest {

    private HttpServer server;
    private final AtomicReference<String> seenHost = new AtomicReference<>();
    private final AtomicReference<String> seenAgent = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ok", x -> reply(x, 200, "fine"));
        server.createContext("/boom", x -> reply(x, 500, "bad"));
        server.createContext("/local-redirect", x -> {
            x.getResponseHeaders().add("Location", "/ok");
            reply(x, 302, "");
        });
        server.createContext("/away", x -> {
            x.getResponseHeaders().add("Location", "http://192.0.2.1/elsewhere");
            reply(x, 301, "moved");
        });
        server.createContext("/headers", x -> {
            seenHost.set(x.getRequestHeaders().getFirst("Host"));
            seenAgent.set(x.getRequestHeaders().getFirst("User-Agent"));
            reply(x, 200, "");
        });
        server.start();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange x, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
        x.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ProbeResult get(String path, Map<String, String> headers) {
        return HttpGet.probe(new HttpGet.Request(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path), headers,
                Duration.ofSeconds(10)));
    }

    @Test
    void codesBelow400SucceedAndOthersFailWithUpstreamsMessage() {
        assertThat(get("/ok", Map.of())).isEqualTo(ProbeResult.success("fine"));
        assertThat(get("/boom", Map.of())).isEqualTo(ProbeResult.failure("HTTP probe failed with statuscode: 500"));
        assertThat(get("/local-redirect", Map.of()).kind()).as("followed to the same host").isEqualTo(ProbeResult.Kind.SUCCESS);
        assertThat(get("/away", Map.of())).isEqualTo(ProbeResult.warning("Probe terminated redirects, Response body: moved"));
    }

    @Test
    void sendsKubeProbeAgentAndLetsTheSpecSetTheHostHeader() {
        get("/headers", Map.of());
        assertThat(seenAgent.get()).startsWith("kube-probe/");
        assertThat(get("/headers", Map.of("Host", "example.test")).kind()).isEqualTo(ProbeResult.Kind.SUCCESS);
        assertThat(seenHost.get()).isEqualTo("example.test");
    }

    @Test
    void aClosedPortReadsAsGoWouldSayIt() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProbeResult result = HttpGet.probe(new HttpGet.Request(URI.create("http://127.0.0.1:" + port + "/healthz"), Map.of(),
                Duration.ofSeconds(2)));
        assertThat(result).isEqualTo(ProbeResult.failure("Get \"http://127.0.0.1:" + port
                + "/healthz\": dial tcp 127.0.0.1:" + port + ": connect: connection refused"));
    }

    @Test
    void requestDefaultsToThePodIpAndResolvesNamedPorts() throws Exception {
        var container = new ContainerBuilder().withName("web").addNewPort().withName("http").withContainerPort(8080).endPort().build();
        var action = new HTTPGetActionBuilder().withPath("healthz").withPort(new IntOrString("http")).withScheme("HTTPS").build();
        HttpGet.Request request = Handlers.httpRequest(action, container, "10.244.170.4", Duration.ofSeconds(1));
        assertThat(request.url()).isEqualTo(URI.create("https://10.244.170.4:8080/healthz"));
        var unknown = new HTTPGetActionBuilder().withPort(new IntOrString("metrics")).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Handlers.httpRequest(unknown, container, "10.244.170.4",
                Duration.ofSeconds(1))).hasMessageContaining("couldn't find port: metrics");
    }
}
