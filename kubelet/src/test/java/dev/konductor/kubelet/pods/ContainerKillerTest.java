package dev.konductor.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.lifecycle.LifecycleHooks;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.kubelet.runtime.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How a pod with sidecars is stopped: the runtime's stops in upstream's order, each with its grace period. */
class ContainerKillerTest {

    private static final Pod POD = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("u")
            .endMetadata().withNewSpec()
            .addToInitContainers(new ContainerBuilder().withName("logs").withRestartPolicy("Always").build(),
                    new ContainerBuilder().withName("proxy").withRestartPolicy("Always").build())
            .addToContainers(new ContainerBuilder().withName("app").build(), new ContainerBuilder().withName("worker").build())
            .endSpec().build();

    private final List<String> stops = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    private static ContainerState running(String name) {
        return new ContainerState(name + "-id", name, "s1", 0, "", ContainerState.Phase.RUNNING, Instant.EPOCH,
                Optional.of(Instant.EPOCH), Optional.empty(), 0, "", "", "busybox", "", "");
    }

    private ContainerKiller killer(ContainerRuntime runtime) {
        return new ContainerKiller(runtime, new LifecycleHooks(runtime),
                (pod, container, type, reason, message) -> events.add(reason + " " + container), Clock.systemUTC());
    }

    private static List<ContainerState> all() {
        return List.of(running("logs"), running("proxy"), running("app"), running("worker"));
    }

    @Test
    void sidecarsStopAfterTheAppsInReverseOrder() {
        ContainerRuntime runtime = FakeRuntime.answering(Map.of("stopContainer", args -> {
            String id = (String) args[0];
            stops.add("start " + id + " " + args[1]);
            if (id.equals("app-id")) {
                sleep(300); // the app takes a while to exit
            }
            stops.add("end " + id);
            return null;
        }));

        killer(runtime).killPod(POD, all(), 30, "10.244.220.2");

        assertThat(events).containsExactlyInAnyOrder("Killing logs", "Killing proxy", "Killing app", "Killing worker");
        assertThat(stops).contains("start app-id 30", "start worker-id 30");
        assertThat(stops.indexOf("start proxy-id 30")).as("proxy after both apps")
                .isGreaterThan(stops.indexOf("end app-id")).isGreaterThan(stops.indexOf("end worker-id"));
        assertThat(stops.indexOf("start logs-id 30")).as("logs, declared first, last").isGreaterThan(stops.indexOf("end proxy-id"));
    }

    @Test
    void aSidecarWaitsNoLongerThanTheGracePeriodAndEveryStopGetsTwoSeconds() throws InterruptedException {
        CountDownLatch sidecarStopped = new CountDownLatch(1);
        ContainerRuntime runtime = FakeRuntime.answering(Map.of("stopContainer", args -> {
            String id = (String) args[0];
            stops.add("start " + id + " " + args[1]);
            if (id.equals("app-id")) {
                await(sidecarStopped); // an app that outlives the grace period
            } else {
                sidecarStopped.countDown();
            }
            stops.add("end " + id);
            return null;
        }));
        Pod onlyProxy = new PodBuilder(POD).editSpec().withInitContainers(POD.getSpec().getInitContainers().get(1))
                .withContainers(POD.getSpec().getContainers().getFirst()).endSpec().build();

        killer(runtime).killPod(onlyProxy, List.of(running("proxy"), running("app")), 1, "");

        assertThat(stops.indexOf("start proxy-id 2")).as("the proxy did not wait for the app's end")
                .isLessThan(stops.indexOf("end app-id"));
        assertThat(stops).as("a grace period of 1 s gives the runtime 2").contains("start app-id 2");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
