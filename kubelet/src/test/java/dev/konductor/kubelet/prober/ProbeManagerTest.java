package dev.konductor.kubelet.prober;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.kubelet.runtime.ContainerState;
import dev.konductor.kubelet.runtime.PodRuntimeState;
import dev.konductor.kubelet.runtime.SandboxState;
import dev.konductor.testing.Await;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Probe workers against a runtime whose exec answers as the test says: the verdicts the pod's
 * status and plan read, the startup gate, and a new container instance starting over.
 */
class ProbeManagerTest {

    /** Exit code of {@code cat /healthy} per container id (0 = healthy). */
    private final Map<String, Integer> exitCodes = new ConcurrentHashMap<>();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ProbeManager probes = new ProbeManager(new Handlers(runtime()),
            (pod, container, type, reason, message) -> events.add(reason + ": " + message), changed::add, Clock.systemUTC(), List.of());

    @AfterEach
    void stop() {
        probes.close();
    }

    private ContainerRuntime runtime() {
        return (ContainerRuntime) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ContainerRuntime.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("execSync")) {
                        int code = exitCodes.getOrDefault((String) args[0], 1);
                        return new ContainerRuntime.ExecResult(code, new byte[0], (code == 0 ? "" : "not yet").getBytes());
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Container app(boolean startup) {
        ContainerBuilder c = new ContainerBuilder().withName("app").withImage("busybox")
                .withNewReadinessProbe().withNewExec().withCommand("cat", "/healthy").endExec().withPeriodSeconds(1).endReadinessProbe()
                .withNewLivenessProbe().withNewExec().withCommand("cat", "/healthy").endExec().withPeriodSeconds(1)
                .withFailureThreshold(2).endLivenessProbe();
        if (startup) {
            c.withNewStartupProbe().withNewExec().withCommand("cat", "/started").endExec().withPeriodSeconds(1).endStartupProbe();
        }
        return c.build();
    }

    private static Pod pod(Container app) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("u").endMetadata()
                .withNewSpec().withContainers(app).endSpec().build();
    }

    private static ContainerState running(String id) {
        Instant now = Instant.now();
        return new ContainerState(id, "app", "s1", 0, "h", ContainerState.Phase.RUNNING, now, Optional.of(now), Optional.empty(),
                0, "", "", "busybox", "", "");
    }

    private static PodRuntimeState state(ContainerState c) {
        return new PodRuntimeState("u", List.of(new SandboxState("s1", 0, true, Instant.now(), List.of("10.244.170.9"))), List.of(c));
    }

    @Test
    void readinessFollowsTheExecProbeAndLivenessAsksForARestartAfterTheThreshold() {
        Container app = app(false);
        ContainerState c1 = running("c1");
        exitCodes.put("c1", 0);
        probes.sync(pod(app), state(c1));
        Await.until(Duration.ofSeconds(60), "c1 ready", () -> probes.health(app, c1).ready());
        assertThat(changed).contains("u");
        assertThat(probes.mustRestart(c1)).isEmpty();

        exitCodes.put("c1", 1);
        Await.until(Duration.ofSeconds(60), "c1 not ready", () -> !probes.health(app, c1).ready());
        Await.until(Duration.ofSeconds(60), "c1 must restart", () -> probes.mustRestart(c1).equals(Optional.of(ProbeType.LIVENESS)));
        assertThat(events).contains("Unhealthy: Liveness probe failed: not yet", "Unhealthy: Readiness probe failed: not yet");

        // The restarted instance starts over: not ready until its own first success, alive meanwhile.
        ContainerState c2 = running("c2");
        probes.sync(pod(app), state(c2));
        assertThat(probes.health(app, c2).ready()).isFalse();
        exitCodes.put("c2", 0);
        Await.until(Duration.ofSeconds(60), "c2 ready", () -> probes.health(app, c2).ready());
        assertThat(probes.mustRestart(c2)).isEmpty();
    }

    @Test
    void theStartupProbeHoldsBackReadinessUntilItPasses() {
        Container app = app(true);
        ContainerState c1 = running("c1");
        exitCodes.put("c1", 1); // both /started and /healthy fail for now (the fake runtime does not tell them apart)
        probes.sync(pod(app), state(c1));
        Await.until(Duration.ofSeconds(60), "two failed startup attempts",
                () -> events.stream().filter(e -> e.startsWith("Unhealthy: Startup probe failed")).count() >= 2);
        assertThat(probes.health(app, c1).started()).isFalse();
        assertThat(probes.health(app, c1).ready()).isFalse();
        assertThat(events).as("liveness and readiness wait for startup").allMatch(e -> e.contains("Startup probe"));
        assertThat(probes.mustRestart(c1)).isEmpty();

        exitCodes.put("c1", 0);
        Await.until(Duration.ofSeconds(60), "c1 started and ready", () -> probes.health(app, c1).started()
                && probes.health(app, c1).ready());
    }
}
