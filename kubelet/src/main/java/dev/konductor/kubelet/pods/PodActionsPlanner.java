package dev.konductor.kubelet.pods;

import dev.konductor.kubelet.prober.ProbeType;
import dev.konductor.kubelet.prober.ProbeVerdicts;
import dev.konductor.kubelet.runtime.ContainerState;
import dev.konductor.kubelet.runtime.EphemeralContainers;
import dev.konductor.kubelet.runtime.PodRuntimeState;
import dev.konductor.kubelet.runtime.SandboxState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decides what a pod needs next from its spec, the runtime's state and the probes' verdicts,
 * as upstream's computePodActions. Pure.
 *
 * <ul>
 *   <li>No ready sandbox: kill what is left and create one, then start the first init container
 *       (or every app container not finished for good); a pod with restartPolicy Never whose
 *       containers ran is over.
 *   <li>Init containers run one at a time, in order, each to a successful exit; a failed one is
 *       run again (after its back-off) unless restartPolicy is Never, which fails the pod. A
 *       sidecar (an init container with restartPolicy Always) must be started (its startup
 *       probe passed) before the next one begins, and is kept running from then on.
 *   <li>Once initialized (the last init container done, or an app container ever created), each
 *       app container that is missing, or exited and due a restart under the restart policy, is
 *       started; a running one whose spec changed, or that failed its liveness or startup probe,
 *       is killed and (unless restartPolicy is Never) started again.
 *   <li>An ephemeral container ({@code kubectl debug}) is started once the sandbox is ready, even
 *       before the pod is initialized, and never restarted.
 * </ul>
 */
public final class PodActionsPlanner {

    private PodActionsPlanner() {
    }

    public static PodActions compute(Pod pod, PodRuntimeState state, ProbeVerdicts probes) {
        String policy = restartPolicy(pod);
        List<Container> inits = initContainers(pod);
        Optional<SandboxState> sandbox = state.latestSandbox();
        if (sandbox.isEmpty() || !sandbox.get().ready()) {
            if (sandbox.isPresent() && policy.equals("Never") && !state.containers().isEmpty()) {
                return PodActions.nothing(); // it ran once; it is over
            }
            List<PodActions.Start> start = new ArrayList<>();
            if (!inits.isEmpty()) {
                start.add(new PodActions.Start(inits.getFirst(), true, state.latest(inits.getFirst().getName())));
            } else {
                for (Container c : pod.getSpec().getContainers()) {
                    Optional<ContainerState> latest = state.latest(c.getName());
                    if (!finishedForGood(pod, c, latest, policy)) {
                        start.add(new PodActions.Start(c, false, latest));
                    }
                }
                if (start.isEmpty()) {
                    return PodActions.nothing();
                }
            }
            return new PodActions(sandbox.isPresent(), true, sandbox.map(s -> s.attempt() + 1).orElse(0), List.of(), start, false);
        }

        List<PodActions.Kill> kill = new ArrayList<>();
        List<PodActions.Start> start = new ArrayList<>();
        // an ephemeral container starts once, whatever the others are doing, and never again
        for (Container c : EphemeralContainers.of(pod)) {
            if (state.latest(c.getName()).isEmpty()) {
                start.add(new PodActions.Start(c, false, Optional.empty()));
            }
        }
        String sandboxId = sandbox.get().id();
        boolean initialized = pod.getSpec().getContainers().stream()
                .anyMatch(c -> state.latest(c.getName()).filter(l -> l.sandboxId().equals(sandboxId)).isPresent());
        for (Container c : inits) {
            Optional<ContainerState> latest = state.latest(c.getName());
            if (latest.isPresent() && !latest.get().sandboxId().equals(sandboxId) && !initialized) {
                // ran in a sandbox that died: a new sandbox runs its init containers again
                start.add(new PodActions.Start(c, true, latest));
                return new PodActions(false, false, 0, kill, start, false);
            }
            boolean sidecar = isSidecar(c);
            if (initialized && !sidecar) {
                continue; // ran before the app containers; never again
            }
            InitStep step = sidecar ? sidecarStep(c, latest, probes, kill, start) : initStep(c, latest, policy, start);
            if (step == InitStep.FAILED) {
                state.running().forEach(r -> kill.add(new PodActions.Kill(spec(pod, r.name()), r,
                        "Stopping container " + r.name())));
                return new PodActions(false, false, 0, kill, List.of(), true);
            }
            if (step == InitStep.WAIT && !initialized) {
                return new PodActions(false, false, 0, kill, start, false);
            }
        }
        for (Container c : pod.getSpec().getContainers()) {
            appStep(c, state.latest(c.getName()), policy, probes, kill, start);
        }
        return new PodActions(false, false, 0, kill, start, false);
    }

    private enum InitStep { DONE, WAIT, FAILED }

    private static InitStep initStep(Container c, Optional<ContainerState> latest, String policy, List<PodActions.Start> start) {
        if (latest.isEmpty() || (!latest.get().running() && !latest.get().exited())) {
            start.add(new PodActions.Start(c, true, latest));
            return InitStep.WAIT;
        }
        ContainerState current = latest.get();
        if (current.running()) {
            return InitStep.WAIT;
        }
        if (current.exitCode() == 0) {
            return InitStep.DONE;
        }
        if (policy.equals("Never")) {
            return InitStep.FAILED;
        }
        start.add(new PodActions.Start(c, true, latest));
        return InitStep.WAIT;
    }

    private static InitStep sidecarStep(Container c, Optional<ContainerState> latest, ProbeVerdicts probes,
                                        List<PodActions.Kill> kill, List<PodActions.Start> start) {
        if (latest.isEmpty() || !latest.get().running()) {
            start.add(new PodActions.Start(c, true, latest));
            return InitStep.WAIT;
        }
        ContainerState current = latest.get();
        Optional<ProbeType> failed = probes.mustRestart(current);
        if (failed.isPresent()) {
            kill.add(new PodActions.Kill(c, current, probeKillMessage(c, failed.get()), probeGrace(c, failed.get())));
            start.add(new PodActions.Start(c, true, latest));
            return InitStep.WAIT;
        }
        return probes.health(c, current).started() ? InitStep.DONE : InitStep.WAIT;
    }

    private static void appStep(Container c, Optional<ContainerState> latest, String policy, ProbeVerdicts probes,
                                List<PodActions.Kill> kill, List<PodActions.Start> start) {
        if (latest.isEmpty() || (!latest.get().running() && !latest.get().exited())) {
            start.add(new PodActions.Start(c, false, latest));
            return;
        }
        ContainerState current = latest.get();
        if (current.exited()) {
            if (shouldRestart(policy, current.exitCode())) {
                start.add(new PodActions.Start(c, false, latest));
            }
            return;
        }
        if (!current.hash().equals(SandboxConfigs.hash(c))) {
            kill.add(new PodActions.Kill(c, current, "Container " + c.getName() + " definition changed, will be restarted"));
            start.add(new PodActions.Start(c, false, latest));
            return;
        }
        Optional<ProbeType> failed = probes.mustRestart(current);
        if (failed.isPresent()) {
            kill.add(new PodActions.Kill(c, current, probeKillMessage(c, failed.get()), probeGrace(c, failed.get())));
            if (!policy.equals("Never")) {
                start.add(new PodActions.Start(c, false, latest));
            }
        }
    }

    static String probeKillMessage(Container c, ProbeType probe) {
        return "Container " + c.getName() + " failed " + probe.title().toLowerCase(java.util.Locale.ROOT)
                + " probe, will be restarted";
    }

    /** A liveness or startup probe's own terminationGracePeriodSeconds, when it sets one. */
    static OptionalLong probeGrace(Container c, ProbeType probe) {
        return probe.of(c).map(p -> p.getTerminationGracePeriodSeconds()).filter(g -> g != null && g >= 0)
                .map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    static boolean shouldRestart(String restartPolicy, int exitCode) {
        return switch (restartPolicy) {
            case "Never" -> false;
            case "OnFailure" -> exitCode != 0;
            default -> true;
        };
    }

    /**
     * Whether a container exited and will not be started again: an app container by the pod's
     * restart policy, a regular init container only when the pod's policy is Never, a sidecar never.
     */
    static boolean endedForGood(Pod pod, String name, Optional<ContainerState> latest) {
        if (latest.isEmpty() || !latest.get().exited()) {
            return false;
        }
        if (EphemeralContainers.isEphemeral(pod, name)) {
            return true;
        }
        Container c = spec(pod, name);
        boolean init = initContainers(pod).contains(c);
        String policy = isSidecar(c) ? "Always" : init && !"Never".equals(restartPolicy(pod)) ? "OnFailure" : restartPolicy(pod);
        return !shouldRestart(policy, latest.get().exitCode());
    }

    public static boolean isSidecar(Container c) {
        return "Always".equals(c.getRestartPolicy());
    }

    public static String restartPolicy(Pod pod) {
        return Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");
    }

    static List<Container> initContainers(Pod pod) {
        return pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
    }

    /** The spec of a container of the pod by name, init and ephemeral containers included. */
    static Container spec(Pod pod, String name) {
        return java.util.stream.Stream.of(initContainers(pod), pod.getSpec().getContainers(), EphemeralContainers.of(pod))
                .flatMap(List::stream)
                .filter(c -> c.getName().equals(name)).findFirst()
                .orElseGet(() -> new io.fabric8.kubernetes.api.model.ContainerBuilder().withName(name).build());
    }

    /**
     * Whether the container ran to an end that its restart policy does not restart: by the
     * runtime's account, or, when the runtime lost it (containerd's state gone), by what the
     * API last said of it.
     */
    static boolean finishedForGood(Pod pod, Container c, Optional<ContainerState> latest, String policy) {
        if (latest.isPresent()) {
            return latest.get().exited() && !shouldRestart(policy, latest.get().exitCode());
        }
        List<ContainerStatus> reported = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? List.of()
                : pod.getStatus().getContainerStatuses();
        return reported.stream().filter(s -> c.getName().equals(s.getName()))
                .map(s -> s.getState() == null ? null : s.getState().getTerminated()).filter(t -> t != null)
                .anyMatch(t -> !shouldRestart(policy, t.getExitCode() == null ? 0 : t.getExitCode()));
    }
}
