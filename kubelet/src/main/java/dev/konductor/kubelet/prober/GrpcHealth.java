package dev.konductor.kubelet.prober;

import dev.konductor.kubelet.grpc.health.v1.HealthCheckRequest;
import dev.konductor.kubelet.grpc.health.v1.HealthCheckResponse;
import dev.konductor.kubelet.grpc.health.v1.HealthGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A grpc probe: one {@code grpc.health.v1.Health/Check} call over plaintext HTTP/2 to the pod,
 * within the probe's timeout. SERVING succeeds; any other answer, or none, fails with upstream's
 * messages ({@code service unhealthy (responded with "NOT_SERVING")}, {@code timeout: failed to
 * connect service "IP:PORT" within 1s: ...}).
 */
final class GrpcHealth {

    private GrpcHealth() {
    }

    static ProbeResult check(String host, int port, String service, Duration timeout) {
        String address = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        String within = timeout.toSeconds() + "s"; // probe timeouts are whole seconds, as Go prints them
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext()
                .userAgent(HttpGet.USER_AGENT).build();
        try {
            HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service == null ? "" : service).build());
            if (response.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
                return ProbeResult.success("service healthy");
            }
            return ProbeResult.failure("service unhealthy (responded with \"" + response.getStatus().name() + "\")");
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            return ProbeResult.failure(switch (status.getCode()) {
                case UNAVAILABLE -> "timeout: failed to connect service \"" + address + "\" within " + within + ": "
                        + status.getDescription();
                case DEADLINE_EXCEEDED -> "timeout: health rpc did not complete within " + within;
                case UNIMPLEMENTED -> "this server does not implement the grpc health protocol (grpc.health.v1.Health): "
                        + status.getDescription();
                default -> "error: health rpc probe failed: " + status;
            });
        } finally {
            channel.shutdownNow();
        }
    }
}
