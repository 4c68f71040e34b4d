package dev.konductor.kubelet.status;

import dev.konductor.kubelet.prober.ProbeManager;
import dev.konductor.kubelet.prober.ProbeVerdicts;
import dev.konductor.kubelet.runtime.ContainerState;
import dev.konductor.kubelet.runtime.EphemeralContainers;
import dev.konductor.kubelet.runtime.PodAddresses;
import dev.konductor.kubelet.runtime.PodRuntimeState;
import dev.konductor.kubelet.runtime.SandboxState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes a pod's status from what the runtime reports, as upstream's kubelet does
 * (generateAPIPodStatus): init and app container statuses with state, lastState, ready,
 * started (from the probes' verdicts), restartCount, image, imageID and containerID; the phase
 * ({@link PodPhases}); the conditions the kubelet owns (PodReadyToStartContainers, Initialized,
 * ContainersReady, Ready; PodScheduled when missing), each keeping its lastTransitionTime while
 * its status holds; pod and host IPs. A container the runtime does not have keeps what the API
 * last reported of it ({@link LostContainers}). Pure.
 */
public final class PodStatuses {

    static final Set<String> KUBELET_CONDITIONS = Set.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady");
    /** The runtime named in container IDs ({@code containerd://...}) unless the caller names another. */
    public static final String DEFAULT_RUNTIME = "containerd";
    static final String POD_INITIALIZING = "PodInitializing";

    private PodStatuses() {
    }

    /** As {@link #build(Pod, PodRuntimeState, Map, List, Instant, boolean, ProbeVerdicts)} for a pod without probes. */
    public static PodStatus build(Pod pod, PodRuntimeState state, Map<String, Waiting> waiting, List<String> hostIps,
                                  Instant now, boolean terminating) {
        return build(pod, state, waiting, hostIps, now, terminating, ProbeVerdicts.NONE);
    }

    /** As {@link #build(Pod, PodRuntimeState, Map, List, Instant, boolean, ProbeVerdicts, String)} on containerd. */
    public static PodStatus build(Pod pod, PodRuntimeState state, Map<String, Waiting> waiting, List<String> hostIps,
                                  Instant now, boolean terminating, ProbeVerdicts probes) {
        return build(pod, state, waiting, hostIps, now, terminating, probes, DEFAULT_RUNTIME);
    }

    /**
     * @param waiting     per container, why the last sync left it waiting
     * @param terminating whether the pod is being stopped for good (deleted or finished): its
     *                    phase is then terminal once nothing runs, whatever the restart policy
     * @param probes      the probes' verdicts: which running containers have started and are ready
     * @param runtimeName the runtime's name (CRI Version's runtime_name), the scheme of container IDs
     *                    as upstream writes them ({@code containerd://ID}, {@code process://ID})
     */
    public static PodStatus build(Pod pod, PodRuntimeState state, Map<String, Waiting> waiting, List<String> hostIps,
                                  Instant now, boolean terminating, ProbeVerdicts probes, String runtimeName) {
        String idPrefix = runtimeName + "://";
        PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        List<Container> initSpecs = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
        List<ContainerStatus> inits = initContainerStatuses(pod, old, initSpecs, state, waiting, probes, idPrefix);
        List<ContainerStatus> containers = appContainerStatuses(pod, old, initSpecs, state, waiting, probes, idPrefix);
        if (terminating && state.running().isEmpty() && PodPhases.incompleteInits(initSpecs, inits, containers).isEmpty()) {
            // As upstream's TerminatePod: once a stopped pod has nothing left, a container with no
            // known end (it never started, or the runtime lost it) counts as ended, unknown how.
            containers = containers.stream().map(LostContainers::ended).toList();
        }
        String restartPolicy = Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");
        String phase = PodPhases.phase(initSpecs, inits, containers, terminating ? "Never" : restartPolicy);
        if (isTerminal(old.getPhase())) {
            phase = old.getPhase(); // a terminal phase never changes back
        }
        Optional<SandboxState> sandbox = state.latestSandbox();
        boolean sandboxReady = sandbox.map(SandboxState::ready).orElse(false) && !isTerminal(phase);
        List<String> podIps = PodAddresses.of(pod, state, hostIps);
        if (podIps.isEmpty() && old.getPodIPs() != null && !old.getPodIPs().isEmpty() && !isTerminal(phase)) {
            podIps = old.getPodIPs().stream().map(PodIP::getIp).toList();
        }

        List<PodCondition> conditions = conditions(old, initSpecs, inits, containers, phase, sandboxReady, now);

        return new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                .withPhase(phase)
                .withConditions(conditions)
                .withHostIP(hostIps.isEmpty() ? null : hostIps.getFirst())
                .withHostIPs(hostIps.stream().map(HostIP::new).toList())
                .withPodIP(podIps.isEmpty() ? null : podIps.getFirst())
                .withPodIPs(podIps.stream().map(PodIP::new).toList())
                .withStartTime(old.getStartTime() != null ? old.getStartTime() : timestamp(now))
                .withQosClass(old.getQosClass())
                .withNominatedNodeName(old.getNominatedNodeName())
                .withInitContainerStatuses(initSpecs.isEmpty() ? null : inits)
                .withContainerStatuses(containers)
                .withEphemeralContainerStatuses(ephemeralContainerStatuses(pod, old, state, waiting, idPrefix))
                .build();
    }

    /** Ephemeral containers ({@code kubectl debug}): never ready, as upstream's; null when the pod has none. */
    private static List<ContainerStatus> ephemeralContainerStatuses(Pod pod, PodStatus old, PodRuntimeState state,
                                                                    Map<String, Waiting> waiting, String idPrefix) {
        List<Container> specs = EphemeralContainers.of(pod);
        if (specs.isEmpty()) {
            return null;
        }
        boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
        Map<String, ContainerStatus> reported = byName(old.getEphemeralContainerStatuses());
        List<ContainerStatus> statuses = new ArrayList<>();
        for (Container spec : specs) {
            ContainerStatus status = containerStatus(spec, state, waiting.get(spec.getName()), ProbeVerdicts.NONE,
                    Waiting.CONTAINER_CREATING, idPrefix, new Reported(reported.get(spec.getName()), deleting));
            statuses.add(new ContainerStatusBuilder(status).withReady(false).withStarted(null).build());
        }
        return statuses;
    }

    /** The kubelet's conditions in upstream's order, then the others the pod already had (PodScheduled added if missing). */
    private static List<PodCondition> conditions(PodStatus old, List<Container> initSpecs, List<ContainerStatus> inits,
                                                 List<ContainerStatus> containers, String phase, boolean sandboxReady, Instant now) {
        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(condition(old, "PodReadyToStartContainers", sandboxReady, null, null, now));
        List<String> incomplete = PodPhases.incompleteInits(initSpecs, inits, containers);
        conditions.add(incomplete.isEmpty() ? condition(old, "Initialized", true, null, null, now)
                : condition(old, "Initialized", false, "ContainersNotInitialized",
                "containers with incomplete status: " + bracketed(incomplete), now));
        List<String> notReady = new ArrayList<>();
        for (int i = 0; i < initSpecs.size(); i++) {
            if ("Always".equals(initSpecs.get(i).getRestartPolicy()) && !Boolean.TRUE.equals(inits.get(i).getReady())) {
                notReady.add(inits.get(i).getName());
            }
        }
        containers.stream().filter(c -> !Boolean.TRUE.equals(c.getReady())).map(ContainerStatus::getName).forEach(notReady::add);
        boolean allReady = notReady.isEmpty() && !isTerminal(phase);
        String reason = switch (phase) {
            case "Succeeded" -> "PodCompleted";
            case "Failed" -> "PodFailed";
            default -> "ContainersNotReady";
        };
        String message = isTerminal(phase) ? null : "containers with unready status: " + bracketed(notReady);
        conditions.add(condition(old, "Ready", allReady, allReady ? null : reason, allReady ? null : message, now));
        conditions.add(condition(old, "ContainersReady", allReady, allReady ? null : reason, allReady ? null : message, now));
        if (old.getConditions() != null) {
            old.getConditions().stream().filter(c -> !KUBELET_CONDITIONS.contains(c.getType())).forEach(conditions::add);
        }
        if (conditions.stream().noneMatch(c -> "PodScheduled".equals(c.getType()))) {
            // A pod created with spec.nodeName never met a scheduler: the kubelet reports it scheduled, as upstream's.
            conditions.add(condition(old, "PodScheduled", true, null, null, now));
        }

        return conditions;
    }

    private static List<ContainerStatus> initContainerStatuses(Pod pod, PodStatus old, List<Container> initSpecs,
                                                               PodRuntimeState state, Map<String, Waiting> waiting,
                                                               ProbeVerdicts probes, String idPrefix) {
        boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
        Map<String, ContainerStatus> reported = byName(old.getInitContainerStatuses());
        List<ContainerStatus> inits = new ArrayList<>();
        for (Container spec : initSpecs) {
            inits.add(initContainerStatus(spec, state, waiting.get(spec.getName()), probes, POD_INITIALIZING, idPrefix,
                    new Reported(reported.get(spec.getName()), deleting)));
        }
        return inits;
    }

    private static List<ContainerStatus> appContainerStatuses(Pod pod, PodStatus old, List<Container> initSpecs,
                                                              PodRuntimeState state, Map<String, Waiting> waiting,
                                                              ProbeVerdicts probes, String idPrefix) {
        String defaultWaiting = initSpecs.isEmpty() ? Waiting.CONTAINER_CREATING : POD_INITIALIZING;
        boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
        Map<String, ContainerStatus> reported = byName(old.getContainerStatuses());
        List<ContainerStatus> containers = new ArrayList<>();
        for (Container container : pod.getSpec().getContainers()) {
            containers.add(containerStatus(container, state, waiting.get(container.getName()), probes, defaultWaiting, idPrefix,
                    new Reported(reported.get(container.getName()), deleting)));
        }
        return containers;
    }

    /** What the API last reported of a container ({@code status} may be null), and whether its pod is being deleted. */
    record Reported(ContainerStatus status, boolean podDeleting) {
    }

    private static Map<String, ContainerStatus> byName(List<ContainerStatus> statuses) {
        Map<String, ContainerStatus> out = new HashMap<>();
        if (statuses != null) {
            statuses.forEach(s -> out.put(s.getName(), s));
        }
        return out;
    }

    /** An init container: a regular one is ready once it exited successfully; a sidecar as an app container. */
    static ContainerStatus initContainerStatus(Container spec, PodRuntimeState state, Waiting waiting, ProbeVerdicts probes,
                                               String defaultWaiting, String idPrefix, Reported reported) {
        ContainerStatus status = containerStatus(spec, state, waiting, probes, defaultWaiting, idPrefix, reported);
        if ("Always".equals(spec.getRestartPolicy())) {
            return status;
        }
        boolean succeeded = status.getState().getTerminated() != null && status.getState().getTerminated().getExitCode() == 0;
        return new ContainerStatusBuilder(status).withReady(succeeded).build();
    }

    static ContainerStatus containerStatus(Container spec, PodRuntimeState state, Waiting waiting, ProbeVerdicts probes,
                                           String defaultWaiting, String idPrefix, Reported reported) {
        Optional<ContainerState> latest = state.latest(spec.getName());
        if (latest.isEmpty()) {
            return LostContainers.status(spec, reported.status(), waiting, defaultWaiting, reported.podDeleting());
        }
        ContainerStatusBuilder status = new ContainerStatusBuilder()
                .withName(spec.getName())
                .withImage(latest.map(ContainerState::image).filter(s -> !s.isEmpty()).orElse(spec.getImage()))
                .withImageID(latest.map(ContainerState::imageRef).orElse(""))
                .withRestartCount(latest.map(ContainerState::restartCount).orElse(0))
                .withReady(false)
                .withStarted(false)
                .withNewLastState().endLastState();
        latest.ifPresent(c -> status.withContainerID(idPrefix + c.id()));
        Optional<ContainerState> previous = state.previous(spec.getName());
        ContainerState c = latest.get();
        if (c.running()) {
            previous.ifPresent(p -> status.withLastState(new ContainerStateBuilder()
                    .withTerminated(terminated(p, idPrefix)).build()));
            ProbeManager.Health health = probes.health(spec, c);
            return status.withReady(health.ready()).withStarted(health.started())
                    .withState(new ContainerStateBuilder().withNewRunning()
                            .withStartedAt(timestamp(c.startedAt().orElse(c.createdAt()))).endRunning().build())
                    .build();
        }
        if (c.exited() && waiting != null) {
            // Waiting to be restarted (e.g. CrashLoopBackOff): the exit becomes the last state.
            return status.withLastState(new ContainerStateBuilder().withTerminated(terminated(c, idPrefix)).build())
                    .withState(new ContainerStateBuilder().withNewWaiting().withReason(waiting.reason())
                            .withMessage(waiting.message()).endWaiting().build())
                    .build();
        }
        if (c.exited()) {
            previous.ifPresent(p -> status.withLastState(new ContainerStateBuilder()
                    .withTerminated(terminated(p, idPrefix)).build()));
            return status.withState(new ContainerStateBuilder().withTerminated(terminated(c, idPrefix)).build()).build();
        }
        // Created but not started, or unknown: still coming up.
        Waiting w = waiting != null ? waiting : new Waiting(defaultWaiting, null);
        return status.withState(new ContainerStateBuilder().withNewWaiting().withReason(w.reason()).withMessage(w.message())
                .endWaiting().build()).build();
    }

    static ContainerStateTerminated terminated(ContainerState c, String idPrefix) {
        String reason = c.reason() == null || c.reason().isEmpty() ? (c.exitCode() == 0 ? "Completed" : "Error") : c.reason();
        return new ContainerStateTerminatedBuilder()
                .withExitCode(c.exitCode())
                .withReason(reason)
                .withMessage(c.message() == null || c.message().isEmpty() ? null : c.message())
                .withStartedAt(c.startedAt().map(PodStatuses::timestamp).orElse(null))
                .withFinishedAt(c.finishedAt().map(PodStatuses::timestamp).orElse(null))
                .withContainerID(idPrefix + c.id())
                .build();
    }

    public static boolean isTerminal(String phase) {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static PodCondition condition(PodStatus old, String type, boolean value, String reason, String message, Instant now) {
        String status = value ? "True" : "False";
        String since = old.getConditions() == null ? null : old.getConditions().stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(PodCondition::getLastTransitionTime).findFirst().orElse(null);
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastProbeTime(null).withLastTransitionTime(since != null ? since : timestamp(now)).build();
    }

    static String bracketed(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }

    static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
