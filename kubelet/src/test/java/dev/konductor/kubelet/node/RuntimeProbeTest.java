package dev.konductor.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.cri.v1.RuntimeCondition;
import dev.konductor.kubelet.cri.v1.RuntimeStatus;
import dev.konductor.kubelet.cri.v1.StatusResponse;
import dev.konductor.kubelet.cri.v1.VersionResponse;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.testing.Await;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RuntimeProbeTest {

    private static final StatusResponse HEALTHY = StatusResponse.newBuilder().setStatus(RuntimeStatus.newBuilder()
            .addConditions(RuntimeCondition.newBuilder().setType("RuntimeReady").setStatus(true))
            .addConditions(RuntimeCondition.newBuilder().setType("NetworkReady").setStatus(true))).build();

    /** A runtime whose Status answers as {@code status} says; version and images answer plainly. */
    private static ContainerRuntime runtime(Supplier<StatusResponse> status) {
        return (ContainerRuntime) Proxy.newProxyInstance(ContainerRuntime.class.getClassLoader(),
                new Class<?>[] {ContainerRuntime.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "status" -> status.get();
                    case "version" -> VersionResponse.newBuilder().setRuntimeName("containerd").setRuntimeVersion("1.6.20").build();
                    case "listImages", "imageFilesystems" -> List.of();
                    default -> null;
                });
    }

    @Test
    void aRuntimeThatRefusesToAnswerIsDownAtOnce() {
        RuntimeProbe probe = new RuntimeProbe(runtime(() -> {
            throw new ContainerRuntime.RuntimeException("rpc error: code = Unavailable desc = connection refused",
                    "connection refused", false, null);
        }));
        probe.refresh();
        assertThat(probe.readiness().message()).isEqualTo("container runtime is down");
    }

    @Test
    void aHealthyRuntimeIsReadyAndSaysWhatItIs() {
        RuntimeProbe probe = new RuntimeProbe(runtime(() -> HEALTHY));
        probe.refresh();
        assertThat(probe.readiness().ready()).isTrue();
        assertThat(probe.info().runtimeVersion()).isEqualTo("containerd://1.6.20");
    }

    @Test
    void aRuntimeThatHangsIsDownOnceItsCallIsStaleWithoutHoldingUpTheCaller() {
        CountDownLatch release = new CountDownLatch(1);
        RuntimeProbe probe = new RuntimeProbe(runtime(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HEALTHY;
        }), Duration.ofMillis(200));
        try {
            probe.start();
            Await.until(Duration.ofSeconds(60), "the hung runtime reported down",
                    () -> probe.readiness().message().equals("container runtime is down"));
            release.countDown();
            Await.until(Duration.ofSeconds(60), "ready again once it answers", () -> probe.readiness().ready());
        } finally {
            release.countDown();
            probe.close();
        }
    }
}
