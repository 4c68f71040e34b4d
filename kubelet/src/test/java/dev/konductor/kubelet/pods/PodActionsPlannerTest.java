package dev.konductor.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.prober.ProbeManager;
import dev.konductor.kubelet.prober.ProbeType;
import dev.konductor.kubelet.prober.ProbeVerdicts;
import dev.konductor.kubelet.runtime.ContainerState;
import dev.konductor.kubelet.runtime.PodRuntimeState;
import dev.konductor.kubelet.runtime.SandboxState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plan for each situation a pod can be in: what a user would see start, wait or restart. */
class PodActionsPlannerTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final SandboxState SANDBOX = new SandboxState("s1", 0, true, T0, List.of("10.244.170.2"));

    private static final Container INIT1 = new ContainerBuilder().withName("init1").withImage("busybox").build();
    private static final Container INIT2 = new ContainerBuilder().withName("init2").withImage("busybox").build();
    private static final Container SIDECAR = new ContainerBuilder().withName("proxy").withImage("busybox")
            .withRestartPolicy("Always").build();
    private static final Container APP = new ContainerBuilder().withName("app").withImage("busybox").build();

    private static Pod pod(String restartPolicy, List<Container> inits) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("u").endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy).withInitContainers(inits).withContainers(APP).endSpec().build();
    }

    private int clock;

    private ContainerState running(Container spec) {
        return container(spec, ContainerState.Phase.RUNNING, 0, "s1");
    }

    private ContainerState exited(Container spec, int exitCode) {
        return container(spec, ContainerState.Phase.EXITED, exitCode, "s1");
    }

    private ContainerState container(Container spec, ContainerState.Phase phase, int exitCode, String sandbox) {
        Instant created = T0.plusSeconds(++clock);
        return new ContainerState(spec.getName() + "-" + clock, spec.getName(), sandbox, 0, SandboxConfigs.hash(spec), phase,
                created, Optional.of(created), phase == ContainerState.Phase.EXITED ? Optional.of(created) : Optional.empty(),
                exitCode, "", "", "busybox", "", "");
    }

    private static PodRuntimeState state(ContainerState... containers) {
        return new PodRuntimeState("u", List.of(SANDBOX), List.of(containers));
    }

    private static List<String> started(PodActions actions) {
        return actions.start().stream().map(s -> s.spec().getName()).toList();
    }

    /** Probe verdicts as a test wants them: these container ids failed liveness, these have not started. */
    private record Verdicts(Set<String> livenessFailed, Set<String> notStarted) implements ProbeVerdicts {
        @Override
        public ProbeManager.Health health(Container spec, ContainerState c) {
            boolean started = c.running() && !notStarted.contains(c.id());
            return new ProbeManager.Health(started, started);
        }

        @Override
        public Optional<ProbeType> mustRestart(ContainerState c) {
            return livenessFailed.contains(c.id()) ? Optional.of(ProbeType.LIVENESS) : Optional.empty();
        }
    }

    @Test
    void aNewPodGetsASandboxAndOnlyItsFirstInitContainer() {
        PodActions actions = PodActionsPlanner.compute(pod("Always", List.of(INIT1, INIT2)), PodRuntimeState.empty("u"),
                ProbeVerdicts.NONE);
        assertThat(actions.createSandbox()).isTrue();
        assertThat(actions.killPod()).isFalse();
        assertThat(started(actions)).containsExactly("init1");

        PodActions plain = PodActionsPlanner.compute(pod("Always", List.of()), PodRuntimeState.empty("u"), ProbeVerdicts.NONE);
        assertThat(started(plain)).containsExactly("app");
    }

    @Test
    void initContainersRunOneAfterAnotherBeforeTheApp() {
        Pod pod = pod("Always", List.of(INIT1, INIT2));
        assertThat(started(PodActionsPlanner.compute(pod, state(running(INIT1)), ProbeVerdicts.NONE))).isEmpty();
        assertThat(started(PodActionsPlanner.compute(pod, state(exited(INIT1, 0)), ProbeVerdicts.NONE))).containsExactly("init2");
        assertThat(started(PodActionsPlanner.compute(pod, state(exited(INIT2, 0), exited(INIT1, 0)), ProbeVerdicts.NONE)))
                .containsExactly("app");
        // Once the app ran, init containers are history: nothing reruns them.
        PodActions later = PodActionsPlanner.compute(pod, state(running(APP), exited(INIT1, 0)), ProbeVerdicts.NONE);
        assertThat(later.isNothing()).isTrue();
    }

    @Test
    void aContainerEndsForGoodOnlyWhenItsRestartPolicyWillNotStartItAgain() {
        // a failed start is an exit with 128 (StartError): under Never it is the container's end
        assertThat(PodActionsPlanner.endedForGood(pod("Never", List.of()), "app", Optional.of(exited(APP, 128)))).isTrue();
        assertThat(PodActionsPlanner.endedForGood(pod("OnFailure", List.of()), "app", Optional.of(exited(APP, 128)))).isFalse();
        assertThat(PodActionsPlanner.endedForGood(pod("OnFailure", List.of()), "app", Optional.of(exited(APP, 0)))).isTrue();
        assertThat(PodActionsPlanner.endedForGood(pod("Always", List.of()), "app", Optional.of(exited(APP, 0)))).isFalse();
        assertThat(PodActionsPlanner.endedForGood(pod("Never", List.of()), "app", Optional.of(running(APP)))).isFalse();
        // init containers are retried on failure unless the pod's policy is Never; sidecars always
        assertThat(PodActionsPlanner.endedForGood(pod("Always", List.of(INIT1)), "init1", Optional.of(exited(INIT1, 1)))).isFalse();
        assertThat(PodActionsPlanner.endedForGood(pod("Always", List.of(INIT1)), "init1", Optional.of(exited(INIT1, 0)))).isTrue();
        assertThat(PodActionsPlanner.endedForGood(pod("Never", List.of(SIDECAR)), "proxy", Optional.of(exited(SIDECAR, 0)))).isFalse();
    }

    @Test
    void aFailedInitContainerIsRetriedUnlessRestartPolicyIsNever() {
        ContainerState failed = exited(INIT1, 1);
        PodActions retry = PodActionsPlanner.compute(pod("OnFailure", List.of(INIT1, INIT2)), state(failed), ProbeVerdicts.NONE);
        assertThat(started(retry)).containsExactly("init1");
        assertThat(retry.start().getFirst().previous()).contains(failed);

        PodActions never = PodActionsPlanner.compute(pod("Never", List.of(INIT1, INIT2)), state(failed), ProbeVerdicts.NONE);
        assertThat(never.initFailed()).isTrue();
        assertThat(never.start()).isEmpty();
    }

    @Test
    void aSidecarMustStartBeforeTheNextInitContainerAndKeepsRunning() {
        Pod pod = pod("Always", List.of(SIDECAR, INIT1));
        ContainerState proxy = running(SIDECAR);
        assertThat(started(PodActionsPlanner.compute(pod, state(proxy), new Verdicts(Set.of(), Set.of(proxy.id())))))
                .as("startup probe not passed yet").isEmpty();
        assertThat(started(PodActionsPlanner.compute(pod, state(proxy), ProbeVerdicts.NONE))).containsExactly("init1");
        ContainerState crashed = exited(SIDECAR, 2);
        assertThat(started(PodActionsPlanner.compute(pod, state(running(APP), crashed, exited(INIT1, 0)), ProbeVerdicts.NONE)))
                .as("a sidecar that exits after initialization is restarted").containsExactly("proxy");
    }

    @Test
    void appContainersRestartByPolicy() {
        assertThat(started(PodActionsPlanner.compute(pod("Always", List.of()), state(exited(APP, 0)), ProbeVerdicts.NONE)))
                .containsExactly("app");
        assertThat(PodActionsPlanner.compute(pod("OnFailure", List.of()), state(exited(APP, 0)), ProbeVerdicts.NONE).isNothing()).isTrue();
        assertThat(started(PodActionsPlanner.compute(pod("OnFailure", List.of()), state(exited(APP, 1)), ProbeVerdicts.NONE)))
                .containsExactly("app");
        assertThat(PodActionsPlanner.compute(pod("Never", List.of()), state(exited(APP, 1)), ProbeVerdicts.NONE).isNothing()).isTrue();
    }

    @Test
    void aFailedLivenessProbeKillsAndRestartsWithUpstreamsMessage() {
        ContainerState app = running(APP);
        PodActions actions = PodActionsPlanner.compute(pod("Always", List.of()), state(app), new Verdicts(Set.of(app.id()), Set.of()));
        assertThat(actions.kill()).extracting(PodActions.Kill::message)
                .containsExactly("Container app failed liveness probe, will be restarted");
        assertThat(started(actions)).containsExactly("app");

        assertThat(actions.kill().getFirst().gracePeriodSeconds()).as("the pod's grace period").isEmpty();

        PodActions never = PodActionsPlanner.compute(pod("Never", List.of()), state(app), new Verdicts(Set.of(app.id()), Set.of()));
        assertThat(never.kill()).hasSize(1);
        assertThat(never.start()).as("restartPolicy Never: killed, not restarted").isEmpty();
    }

    @Test
    void aProbeMayShortenTheGracePeriodOfItsKill() {
        Container quick = new ContainerBuilder(APP).withNewLivenessProbe().withNewExec().withCommand("true").endExec()
                .withTerminationGracePeriodSeconds(1L).endLivenessProbe().build();
        ContainerState app = running(quick);
        Pod pod = new PodBuilder(pod("Always", List.of())).editSpec().withContainers(quick).endSpec().build();
        PodActions actions = PodActionsPlanner.compute(pod, state(app), new Verdicts(Set.of(app.id()), Set.of()));
        assertThat(actions.kill().getFirst().gracePeriodSeconds()).hasValue(1);
    }

    @Test
    void aChangedSpecRestartsTheContainer() {
        ContainerState app = running(new ContainerBuilder(APP).withImage("busybox:old").build());
        PodActions actions = PodActionsPlanner.compute(pod("Always", List.of()), state(app), ProbeVerdicts.NONE);
        assertThat(actions.kill()).extracting(PodActions.Kill::message)
                .containsExactly("Container app definition changed, will be restarted");
    }

    @Test
    void aDeadSandboxIsReplacedUnlessThePodRanToTheEndUnderNever() {
        SandboxState dead = new SandboxState("s1", 0, false, T0, List.of());
        List<ContainerState> ran = new ArrayList<>(List.of(exited(APP, 0)));
        PodActions always = PodActionsPlanner.compute(pod("Always", List.of()), new PodRuntimeState("u", List.of(dead), ran),
                ProbeVerdicts.NONE);
        assertThat(always.killPod()).isTrue();
        assertThat(always.createSandbox()).isTrue();
        assertThat(always.sandboxAttempt()).isEqualTo(1);
        assertThat(PodActionsPlanner.compute(pod("Never", List.of()), new PodRuntimeState("u", List.of(dead), ran),
                ProbeVerdicts.NONE).isNothing()).isTrue();
    }

    @Test
    void aContainerThatFinishedForGoodBeforeTheRuntimeLostItIsNotStartedAgain() {
        // containerd's state is gone (a reboot): only the API remembers that "app" completed
        Container worker = new ContainerBuilder().withName("worker").withImage("busybox").build();
        Pod pod = new PodBuilder(pod("OnFailure", List.of())).editSpec().addToContainers(worker).endSpec()
                .withNewStatus().withPhase("Running")
                .addNewContainerStatus().withName("app").withNewState().withNewTerminated().withExitCode(0).endTerminated()
                .endState().endContainerStatus()
                .addNewContainerStatus().withName("worker").withNewState().withNewRunning().endRunning().endState()
                .endContainerStatus().endStatus().build();

        PodActions actions = PodActionsPlanner.compute(pod, PodRuntimeState.empty("u"), ProbeVerdicts.NONE);

        assertThat(actions.createSandbox()).isTrue();
        assertThat(started(actions)).containsExactly("worker");
        Pod always = new PodBuilder(pod).editSpec().withRestartPolicy("Always").endSpec().build();
        assertThat(started(PodActionsPlanner.compute(always, PodRuntimeState.empty("u"), ProbeVerdicts.NONE)))
                .containsExactly("app", "worker");
    }

    @Test
    void anEphemeralContainerStartsOnceEvenDuringInitAndIsNeverRestarted() {
        Pod pod = pod("Always", List.of(INIT1));
        pod.getSpec().setEphemeralContainers(List.of(new io.fabric8.kubernetes.api.model.EphemeralContainerBuilder()
                .withName("debugger").withImage("busybox").withTargetContainerName("app").withStdin(true).build()));
        Container debugger = PodActionsPlanner.spec(pod, "debugger");
        assertThat(debugger.getStdin()).isTrue();
        assertThat(debugger.getAdditionalProperties()).doesNotContainKey("targetContainerName");

        assertThat(started(PodActionsPlanner.compute(pod, state(running(INIT1)), ProbeVerdicts.NONE)))
                .containsExactly("debugger");
        assertThat(started(PodActionsPlanner.compute(pod, state(exited(INIT1, 0), running(APP), running(debugger)),
                ProbeVerdicts.NONE))).isEmpty();
        ContainerState ended = exited(debugger, 1);
        assertThat(started(PodActionsPlanner.compute(pod, state(exited(INIT1, 0), running(APP), ended), ProbeVerdicts.NONE)))
                .isEmpty();
        assertThat(PodActionsPlanner.endedForGood(pod, "debugger", Optional.of(ended))).isTrue();
    }
}
