package dev.konductor.kubelet.prober;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.grpc.health.v1.HealthCheckRequest;
import dev.konductor.kubelet.grpc.health.v1.HealthCheckResponse;
import dev.konductor.kubelet.grpc.health.v1.HealthGrpc;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** grpc probes against a loopback health server: the verdicts and the messages users see. */
class GrpcHealthTest {

    private Server server;

    @BeforeEach
    void start() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new HealthGrpc.HealthImplBase() {
                    @Override
                    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
                        response.onNext(HealthCheckResponse.newBuilder().setStatus(request.getService().equals("db")
                                ? HealthCheckResponse.ServingStatus.NOT_SERVING : HealthCheckResponse.ServingStatus.SERVING).build());
                        response.onCompleted();
                    }
                }).build().start();
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void servingSucceedsAndAnythingElseFailsWithUpstreamsMessage() {
        assertThat(GrpcHealth.check("127.0.0.1", server.getPort(), "", Duration.ofSeconds(5)))
                .isEqualTo(ProbeResult.success("service healthy"));
        assertThat(GrpcHealth.check("127.0.0.1", server.getPort(), "db", Duration.ofSeconds(5)))
                .isEqualTo(ProbeResult.failure("service unhealthy (responded with \"NOT_SERVING\")"));
    }

    @Test
    void nobodyListeningIsAFailureToConnect() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProbeResult result = GrpcHealth.check("127.0.0.1", port, "", Duration.ofSeconds(2));
        assertThat(result.kind()).isEqualTo(ProbeResult.Kind.FAILURE);
        assertThat(result.output()).startsWith("timeout: failed to connect service \"127.0.0.1:" + port + "\" within 2s: ");
    }
}
