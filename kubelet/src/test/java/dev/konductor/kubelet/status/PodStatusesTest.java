package dev.konductor.kubelet.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.prober.ProbeVerdicts;
import dev.konductor.kubelet.runtime.ContainerState;
import dev.konductor.kubelet.runtime.PodRuntimeState;
import dev.konductor.kubelet.runtime.SandboxState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodStatusesTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2025-01-01T00:01:00Z");
    private static final List<String> HOST = List.of("192.0.2.2");

    private static Pod pod(String restartPolicy) {
        return new PodBuilder()
                .withNewMetadata().withName("web").withNamespace("default").withUid("u").endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy).withNodeName("n1")
                .addNewContainer().withName("web").withImage("busybox").endContainer().endSpec()
                .withNewStatus().withQosClass("BestEffort").addNewCondition().withType("PodScheduled").withStatus("True")
                .withLastTransitionTime("2025-01-01T00:00:00Z").endCondition().endStatus()
                .build();
    }

    private static SandboxState readySandbox() {
        return new SandboxState("s1", 0, true, T0, List.of("10.244.0.5"));
    }

    private static ContainerState container(String id, int restarts, ContainerState.Phase phase, Instant created, int exitCode) {
        return new ContainerState(id, "web", "s1", restarts, "h", phase, created, Optional.of(created.plusMillis(10)),
                phase == ContainerState.Phase.EXITED ? Optional.of(created.plusSeconds(1)) : Optional.empty(), exitCode,
                "", "", "docker.io/library/busybox:latest", "docker.io/library/busybox@sha256:aa", "/logs/web/0.log");
    }

    @Test
    void noContainerYetIsPendingWithContainerCreating() {
        PodStatus status = PodStatuses.build(pod("Always"), new PodRuntimeState("u", List.of(readySandbox()), List.of()),
                Map.of(), HOST, NOW, false);

        assertThat(status.getPhase()).isEqualTo("Pending");
        ContainerStatus c = status.getContainerStatuses().getFirst();
        assertThat(c.getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
        assertThat(c.getImage()).isEqualTo("busybox");
        assertThat(c.getReady()).isFalse();
        assertThat(condition(status, "PodReadyToStartContainers").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Ready").getMessage()).isEqualTo("containers with unready status: [web]");
        assertThat(condition(status, "Ready").getReason()).isEqualTo("ContainersNotReady");
        assertThat(status.getPodIP()).isEqualTo("10.244.0.5");
        assertThat(status.getHostIP()).isEqualTo("192.0.2.2");
    }

    @Test
    void runningContainerIsReadyWithItsIdsAndTheConditionsInUpstreamOrder() {
        PodStatus status = PodStatuses.build(pod("Always"), new PodRuntimeState("u", List.of(readySandbox()),
                List.of(container("c1", 0, ContainerState.Phase.RUNNING, T0, 0))), Map.of(), HOST, NOW, false);

        assertThat(status.getPhase()).isEqualTo("Running");
        ContainerStatus c = status.getContainerStatuses().getFirst();
        assertThat(c.getReady()).isTrue();
        assertThat(c.getStarted()).isTrue();
        assertThat(c.getContainerID()).isEqualTo("containerd://c1");
        assertThat(c.getImageID()).isEqualTo("docker.io/library/busybox@sha256:aa");
        assertThat(c.getState().getRunning().getStartedAt()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(status.getConditions()).extracting(PodCondition::getType)
                .containsExactly("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");
        assertThat(condition(status, "PodScheduled").getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(status.getStartTime()).isEqualTo("2025-01-01T00:01:00Z");
    }

    @Test
    void containerIdsNameTheRuntimeThatRunsThem() {
        PodRuntimeState exitedAndRunning = new PodRuntimeState("u", List.of(readySandbox()), List.of(
                container("c2", 1, ContainerState.Phase.RUNNING, T0.plusSeconds(5), 0),
                container("c1", 0, ContainerState.Phase.EXITED, T0, 1)));

        ContainerStatus c = PodStatuses.build(pod("Always"), exitedAndRunning, Map.of(), HOST, NOW, false,
                ProbeVerdicts.NONE, "process").getContainerStatuses().getFirst();

        assertThat(c.getContainerID()).isEqualTo("process://c2");
        assertThat(c.getLastState().getTerminated().getContainerID()).isEqualTo("process://c1");
    }

    @Test
    void crashLoopShowsWaitingWithTheExitAsLastStateAndThePodStaysRunning() {
        Waiting backOff = new Waiting("CrashLoopBackOff", "back-off 10s restarting failed container=web pod=web_default(u)");
        PodStatus status = PodStatuses.build(pod("Always"), new PodRuntimeState("u", List.of(readySandbox()), List.of(
                container("c2", 1, ContainerState.Phase.EXITED, T0.plusSeconds(5), 1),
                container("c1", 0, ContainerState.Phase.EXITED, T0, 1))), Map.of("web", backOff), HOST, NOW, false);

        ContainerStatus c = status.getContainerStatuses().getFirst();
        assertThat(c.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(c.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(c.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(c.getLastState().getTerminated().getContainerID()).isEqualTo("containerd://c2");
        assertThat(c.getRestartCount()).isEqualTo(1);
        assertThat(status.getPhase()).isEqualTo("Running");
    }

    @Test
    void phasesFollowTheRestartPolicy() {
        PodRuntimeState succeeded = new PodRuntimeState("u", List.of(readySandbox()),
                List.of(container("c1", 0, ContainerState.Phase.EXITED, T0, 0)));
        PodRuntimeState failed = new PodRuntimeState("u", List.of(readySandbox()),
                List.of(container("c1", 0, ContainerState.Phase.EXITED, T0, 2)));

        assertThat(PodStatuses.build(pod("Never"), succeeded, Map.of(), HOST, NOW, false).getPhase()).isEqualTo("Succeeded");
        assertThat(PodStatuses.build(pod("Never"), failed, Map.of(), HOST, NOW, false).getPhase()).isEqualTo("Failed");
        assertThat(PodStatuses.build(pod("OnFailure"), succeeded, Map.of(), HOST, NOW, false).getPhase()).isEqualTo("Succeeded");
        assertThat(PodStatuses.build(pod("OnFailure"), failed, Map.of(), HOST, NOW, false).getPhase()).isEqualTo("Running");
        assertThat(PodStatuses.build(pod("Always"), failed, Map.of(), HOST, NOW, false).getPhase()).isEqualTo("Running");
        // Being deleted: once nothing runs the phase is terminal whatever the policy.
        assertThat(PodStatuses.build(pod("Always"), failed, Map.of(), HOST, NOW, true).getPhase()).isEqualTo("Failed");
        PodStatus completed = PodStatuses.build(pod("Never"), succeeded, Map.of(), HOST, NOW, false);
        assertThat(completed.getContainerStatuses().getFirst().getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(condition(completed, "Ready").getReason()).isEqualTo("PodCompleted");
    }

    @Test
    void conditionsKeepTheirTransitionTimeWhileTheyHold() {
        Pod pod = pod("Always");
        PodRuntimeState running = new PodRuntimeState("u", List.of(readySandbox()),
                List.of(container("c1", 0, ContainerState.Phase.RUNNING, T0, 0)));
        PodStatus first = PodStatuses.build(pod, running, Map.of(), HOST, NOW, false);
        pod.setStatus(first);

        PodStatus later = PodStatuses.build(pod, running, Map.of(), HOST, NOW.plusSeconds(30), false);
        assertThat(condition(later, "Ready").getLastTransitionTime()).isEqualTo("2025-01-01T00:01:00Z");
        assertThat(later).isEqualTo(first);
    }

    private static Pod podWithInits(String restartPolicy) {
        return new PodBuilder(pod(restartPolicy)).editSpec()
                .addNewInitContainer().withName("init1").withImage("busybox").endInitContainer()
                .addNewInitContainer().withName("init2").withImage("busybox").endInitContainer()
                .endSpec().build();
    }

    private static ContainerState named(String name, String id, ContainerState.Phase phase, Instant created, int exitCode) {
        ContainerState c = container(id, 0, phase, created, exitCode);
        return new ContainerState(c.id(), name, c.sandboxId(), c.restartCount(), c.hash(), c.phase(), c.createdAt(), c.startedAt(),
                c.finishedAt(), c.exitCode(), c.reason(), c.message(), c.image(), c.imageRef(), c.logPath());
    }

    @Test
    void initializingPodIsPendingWithPodInitializingAndIncompleteInitContainers() {
        // kubectl prints this as Init:1/2: the first init container done, the second running.
        PodStatus status = PodStatuses.build(podWithInits("Always"), new PodRuntimeState("u", List.of(readySandbox()), List.of(
                named("init1", "i1", ContainerState.Phase.EXITED, T0, 0),
                named("init2", "i2", ContainerState.Phase.RUNNING, T0.plusSeconds(2), 0))), Map.of(), HOST, NOW, false);

        assertThat(status.getPhase()).isEqualTo("Pending");
        assertThat(status.getInitContainerStatuses()).extracting(ContainerStatus::getName).containsExactly("init1", "init2");
        assertThat(status.getInitContainerStatuses().get(0).getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(status.getInitContainerStatuses().get(0).getReady()).isTrue();
        assertThat(status.getInitContainerStatuses().get(1).getState().getRunning()).isNotNull();
        assertThat(status.getInitContainerStatuses().get(1).getReady()).isFalse();
        assertThat(status.getContainerStatuses().getFirst().getState().getWaiting().getReason()).isEqualTo("PodInitializing");
        assertThat(condition(status, "Initialized").getStatus()).isEqualTo("False");
        assertThat(condition(status, "Initialized").getReason()).isEqualTo("ContainersNotInitialized");
        assertThat(condition(status, "Initialized").getMessage()).isEqualTo("containers with incomplete status: [init2]");
    }

    @Test
    void failedInitContainerCrashLoopsOrFailsThePodUnderNever() {
        PodRuntimeState failed = new PodRuntimeState("u", List.of(readySandbox()), List.of(
                named("init1", "i1", ContainerState.Phase.EXITED, T0, 1)));
        Waiting backOff = new Waiting("CrashLoopBackOff", "back-off 10s restarting failed container=init1 pod=web_default(u)");
        PodStatus looping = PodStatuses.build(podWithInits("Always"), failed, Map.of("init1", backOff), HOST, NOW, false);
        assertThat(looping.getPhase()).isEqualTo("Pending");
        assertThat(looping.getInitContainerStatuses().getFirst().getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(looping.getInitContainerStatuses().getFirst().getLastState().getTerminated().getExitCode()).isEqualTo(1);

        PodStatus never = PodStatuses.build(podWithInits("Never"), failed, Map.of(), HOST, NOW, false);
        assertThat(never.getPhase()).isEqualTo("Failed");
        // kubectl prints Init:Error from this terminated reason.
        assertThat(never.getInitContainerStatuses().getFirst().getState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(condition(never, "Ready").getReason()).isEqualTo("PodFailed");
    }

    @Test
    void initializedOnceTheAppRunsAndReadinessComesFromTheProbes() {
        PodRuntimeState running = new PodRuntimeState("u", List.of(readySandbox()), List.of(
                named("init1", "i1", ContainerState.Phase.EXITED, T0, 0),
                named("init2", "i2", ContainerState.Phase.EXITED, T0.plusSeconds(1), 0),
                named("web", "c1", ContainerState.Phase.RUNNING, T0.plusSeconds(2), 0)));
        dev.konductor.kubelet.prober.ProbeVerdicts notReady = new dev.konductor.kubelet.prober.ProbeVerdicts() {
            @Override
            public dev.konductor.kubelet.prober.ProbeManager.Health health(io.fabric8.kubernetes.api.model.Container spec,
                                                                            ContainerState c) {
                return new dev.konductor.kubelet.prober.ProbeManager.Health(true, false);
            }

            @Override
            public Optional<dev.konductor.kubelet.prober.ProbeType> mustRestart(ContainerState c) {
                return Optional.empty();
            }
        };
        PodStatus status = PodStatuses.build(podWithInits("Always"), running, Map.of(), HOST, NOW, false, notReady);
        assertThat(status.getPhase()).isEqualTo("Running");
        assertThat(condition(status, "Initialized").getStatus()).isEqualTo("True");
        assertThat(status.getContainerStatuses().getFirst().getStarted()).isTrue();
        assertThat(status.getContainerStatuses().getFirst().getReady()).isFalse();
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(status, "ContainersReady").getMessage()).isEqualTo("containers with unready status: [web]");
    }

    private static PodCondition condition(PodStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void aContainerTheRuntimeLostKeepsWhatTheApiLastSaidOfIt() {
        // containerd's state is gone (a reboot); the API still has the pod as it was
        Pod pod = new PodBuilder(pod("Never")).editSpec().addNewContainer().withName("side").withImage("busybox").endContainer()
                .endSpec().editStatus().withPhase("Running")
                .addNewContainerStatus().withName("web").withRestartCount(0).withContainerID("containerd://c1")
                .withNewState().withNewTerminated().withExitCode(0).withReason("Completed").endTerminated().endState()
                .endContainerStatus()
                .addNewContainerStatus().withName("side").withRestartCount(0).withNewState().withNewRunning()
                .withStartedAt("2025-01-01T00:00:00Z").endRunning().endState().endContainerStatus()
                .endStatus().build();

        PodStatus status = PodStatuses.build(pod, PodRuntimeState.empty("u"), Map.of(), HOST, NOW, false);

        ContainerStatus web = status.getContainerStatuses().get(0);
        assertThat(web.getState().getTerminated().getReason()).as("it ran to its end").isEqualTo("Completed");
        assertThat(web.getContainerID()).isEqualTo("containerd://c1");
        ContainerStatus side = status.getContainerStatuses().get(1);
        assertThat(side.getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
        assertThat(side.getLastState().getTerminated().getReason()).isEqualTo("ContainerStatusUnknown");
        assertThat(side.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        assertThat(side.getLastState().getTerminated().getMessage())
                .isEqualTo("The container could not be located when the pod was deleted.  The container used to be Running");
        assertThat(side.getRestartCount()).isEqualTo(1);
        assertThat(status.getPhase()).as("restartPolicy Never: it is over, and runs no more").isEqualTo("Failed");

        PodStatus last = PodStatuses.build(pod, PodRuntimeState.empty("u"), Map.of(), HOST, NOW, true);
        assertThat(last.getContainerStatuses().get(1).getState().getTerminated().getMessage())
                .as("the final status: kubectl shows ContainerStatusUnknown")
                .isEqualTo("The container could not be located when the pod was terminated");
        assertThat(last.getContainerStatuses().get(0).getState().getTerminated().getReason()).isEqualTo("Completed");
    }

    @Test
    void ephemeralContainersHaveTheirOwnStatusesNeverReadyAndLeaveThePodAsItWas() {
        Pod pod = pod("Always");
        pod.getSpec().setEphemeralContainers(List.of(new io.fabric8.kubernetes.api.model.EphemeralContainerBuilder()
                .withName("debugger").withImage("busybox").withTargetContainerName("web").build()));
        ContainerState debugger = new ContainerState("d1", "debugger", "s1", 0, "h", ContainerState.Phase.EXITED, T0,
                Optional.of(T0), Optional.of(T0.plusSeconds(2)), 3, "Error", "", "docker.io/library/busybox:latest",
                "docker.io/library/busybox@sha256:aa", "/logs/debugger/0.log");
        PodStatus status = PodStatuses.build(pod, new PodRuntimeState("u", List.of(readySandbox()),
                List.of(container("c1", 0, ContainerState.Phase.RUNNING, T0, 0), debugger)), Map.of(), HOST, NOW, false);

        assertThat(status.getPhase()).isEqualTo("Running");
        assertThat(status.getContainerStatuses()).extracting(ContainerStatus::getName).containsExactly("web");
        assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
                .extracting(PodCondition::getStatus).isEqualTo("True");
        ContainerStatus ephemeral = status.getEphemeralContainerStatuses().getFirst();
        assertThat(ephemeral.getName()).isEqualTo("debugger");
        assertThat(ephemeral.getReady()).isFalse();
        assertThat(ephemeral.getContainerID()).isEqualTo("containerd://d1");
        assertThat(ephemeral.getState().getTerminated().getExitCode()).isEqualTo(3);

        assertThat(PodStatuses.build(pod("Always"), new PodRuntimeState("u", List.of(readySandbox()), List.of()),
                Map.of(), HOST, NOW, false).getEphemeralContainerStatuses()).isNullOrEmpty();
    }

    @Test
    void aPodOnTheNodesNetworkHasTheNodesAddresses() {
        Pod pod = pod("Always");
        pod.getSpec().setHostNetwork(true);
        SandboxState nodeNetwork = new SandboxState("s1", 0, true, T0, List.of()); // the runtime reports none
        PodStatus status = PodStatuses.build(pod, new PodRuntimeState("u", List.of(nodeNetwork),
                List.of(container("c1", 0, ContainerState.Phase.RUNNING, T0, 0))), Map.of(), HOST, NOW, false);
        assertThat(status.getPodIP()).isEqualTo("192.0.2.2");
        assertThat(status.getPodIPs()).extracting(io.fabric8.kubernetes.api.model.PodIP::getIp).containsExactly("192.0.2.2");
    }
}
